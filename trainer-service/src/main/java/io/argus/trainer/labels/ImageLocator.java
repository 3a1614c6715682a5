package io.argus.trainer.labels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.registry.FollowedTopic;

/**
 * Where the bytes of a classified image are: image id to its raw-topic partition and offset, read
 * from {@code argus.images.classified}. Remembers the most recent {@code imageIndexSize} images,
 * which bounds memory; older images cannot be labeled by id (upload them instead).
 */
@Singleton
public class ImageLocator extends FollowedTopic {

    private final Map<String, Classification.Source> sources;

    public ImageLocator(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        super(kafka, topics.classified(), "argus-trainer-image-locator");
        int max = config.imageIndexSize();
        this.sources = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Classification.Source> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        Classification.fromRecord(r).filter(c -> c.source() != null).ifPresent(c -> {
            synchronized (sources) {
                sources.put(r.key(), c.source());
            }
        });
    }

    /** The image's position on the raw topic; waits up to {@code waitMs} for a result still on its way. */
    public Optional<Classification.Source> find(String imageId, long waitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            synchronized (sources) {
                Classification.Source s = sources.get(imageId);
                if (s != null) {
                    return Optional.of(s);
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                return Optional.empty();
            }
            Thread.sleep(100);
        }
    }
}
