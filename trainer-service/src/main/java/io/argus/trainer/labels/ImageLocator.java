package io.argus.trainer.labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.registry.FollowedTopic;

/**
 * Where the bytes of a classified image are: image id to the raw-topic record(s) classified under
 * it, read from {@code argus.images.classified}. Image ids are chosen by clients and need not be
 * unique, so an id may name several records; a label must then say which one. Remembers the most
 * recent {@code imageIndexSize} image ids, which bounds memory; older images cannot be labeled by
 * id (upload them instead).
 */
@Singleton
public class ImageLocator extends FollowedTopic {

    /** At most this many distinct records per image id are remembered (a client reusing one id forever). */
    static final int MAX_RECORDS_PER_ID = 16;

    private final Map<String, List<Classification.Source>> sources;

    public ImageLocator(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        super(kafka, topics.classified(), "argus-trainer-image-locator");
        int max = config.imageIndexSize();
        this.sources = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Classification.Source>> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        Classification.fromRecord(r).filter(c -> c.source() != null).ifPresent(c -> {
            synchronized (sources) {
                List<Classification.Source> known = sources.computeIfAbsent(r.key(), k -> new ArrayList<>(1));
                // A result written twice (at least once after a restart) names the same record.
                if (known.stream().noneMatch(s -> s.sameRecord(c.source())) && known.size() < MAX_RECORDS_PER_ID) {
                    known.add(c.source());
                }
            }
        });
    }

    /**
     * The raw records classified under this image id (usually one); waits up to {@code waitMs} for a
     * result still on its way. Empty when the id is unknown.
     */
    public List<Classification.Source> find(String imageId, long waitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            synchronized (sources) {
                List<Classification.Source> s = sources.get(imageId);
                if (s != null) {
                    return List.copyOf(s);
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                return List.of();
            }
            Thread.sleep(100);
        }
    }
}
