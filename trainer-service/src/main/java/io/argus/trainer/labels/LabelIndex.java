package io.argus.trainer.labels;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.argus.common.error.ContractViolation;
import io.argus.common.contract.LabeledSample;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.registry.FollowedTopic;

/**
 * What the training set holds, without the image bytes: one entry per sample id of the
 * compacted {@code argus.labels} topic (tombstones remove). Rebuilt from the topic on start and
 * kept current by following it; labels written by this trainer count at once.
 */
@Singleton
public class LabelIndex extends FollowedTopic {

    /** A sample's label and its history. */
    public record Entry(String label, String labeler, Instant labeledAt, String sourceImageId) {
    }

    private static final Logger LOG = Logger.getLogger(LabelIndex.class);

    private final Map<String, Entry> samples = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public LabelIndex(KafkaClients kafka, TopicsConfig topics) {
        super(kafka, topics.labels(), "argus-trainer-labels");
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            samples.remove(r.key());
            return;
        }
        try {
            LabeledSample s = LabeledSample.fromRecord(r);
            put(s.sampleId(), new Entry(s.label(), s.labeler(), s.labeledAt(), s.sourceImageId()));
        } catch (ContractViolation e) {
            LOG.warnf("Skipping unreadable label record %s at offset %d: %s", r.key(), r.offset(), e.getMessage());
        }
    }

    @Override
    public void caughtUp() {
        caughtUp.countDown();
        LOG.infof("Training set: %d labeled samples in %d classes", samples.size(), perClass(null).size());
        listeners.forEach(Runnable::run);
    }

    /** Records a label this trainer just wrote (the topic will say the same a moment later). */
    void put(String sampleId, Entry entry) {
        samples.put(sampleId, entry);
        if (caughtUp.getCount() == 0) {
            listeners.forEach(Runnable::run);
        }
    }

    void remove(String sampleId) {
        samples.remove(sampleId);
    }

    /** Calls {@code listener} (on some trainer thread) whenever labels change after start-up. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    public Optional<Entry> get(String sampleId) {
        return Optional.ofNullable(samples.get(sampleId));
    }

    public int size() {
        return samples.size();
    }

    /** Samples per class, of all samples or of those labeled after {@code since} (null: all). */
    public Map<String, Integer> perClass(Instant since) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry e : samples.values()) {
            if (since == null || e.labeledAt().isAfter(since)) {
                counts.merge(e.label(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** How many samples were labeled after {@code since} (null: all). */
    public int countSince(Instant since) {
        return since == null ? samples.size()
                : (int) samples.values().stream().filter(e -> e.labeledAt().isAfter(since)).count();
    }
}
