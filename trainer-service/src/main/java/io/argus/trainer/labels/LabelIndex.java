package io.argus.trainer.labels;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.error.ContractViolation;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.registry.CaughtUpGuard;
import io.argus.trainer.registry.FollowedTopic;

/**
 * What the training set holds, without the image bytes: one entry per sample id of the compacted
 * {@code argus.labels} topic (tombstones remove). Rebuilt from the topic on start and kept current
 * by following it: the topic is the one way in, for labels this trainer writes too, which it waits
 * to read back ({@link #awaitRead}) so that a label answered 201 is in the index. Until it has read
 * what the topic held at start it knows only part of the training set, so what answers from the
 * whole of it asks {@link #requireCaughtUp()}.
 */
@Singleton
public class LabelIndex extends FollowedTopic {

    /**
     * A sample without its bytes.
     *
     * @param source   {@link LabeledSample#PERSON}, or {@code dataset:<name>} for a base's own data
     * @param sensorId the sensor that took the image, when known
     * @param imageId  the raw image it was labeled from, when it was
     * @param raw      the exact raw record, when it was labeled from one
     */
    public record Entry(String label, String labeler, Instant labeledAt, String source, String sensorId,
                        String imageId, LabeledSample.RawRecord raw) {

        public boolean fromPerson() {
            return LabeledSample.PERSON.equals(source);
        }
    }

    private static final Logger LOG = Logger.getLogger(LabelIndex.class);

    private final Map<String, Entry> samples = new ConcurrentHashMap<>();
    private final Map<Integer, Long> read = new HashMap<>();
    private final CaughtUpGuard caughtUp;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<SampleListener> sampleListeners = new CopyOnWriteArrayList<>();

    /** Told of every sample as it is read, from the start of the topic (on the follower's thread). */
    public interface SampleListener {
        /** A sample was added or replaced ({@code entry}), or removed by a tombstone ({@code entry} null). */
        void sample(String sampleId, Entry entry);
    }

    public LabelIndex(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        super(kafka, topics.labels(), "argus-trainer-labels");
        // The same wait as the model history's: both are read from the start of a topic after a start.
        this.caughtUp = new CaughtUpGuard(config.historyWait(), "LABELS_NOT_READ", "training set still being read "
                + "from " + topics.labels() + "; which labels and classes it holds is not known yet");
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        if (r.key() != null) {
            if (r.value() == null) {
                synchronized (sampleListeners) {
                    samples.remove(r.key());
                    sampleListeners.forEach(l -> l.sample(r.key(), null));
                }
            } else {
                try {
                    LabeledSample s = LabeledSample.fromRecord(r);
                    LabeledSample.Origin o = s.origin();
                    Entry entry = new Entry(s.label(), s.labeler(), s.labeledAt(), s.source(), o.sensorId(),
                            o.imageId(), o.raw());
                    synchronized (sampleListeners) {
                        samples.put(s.sampleId(), entry);
                        sampleListeners.forEach(l -> l.sample(s.sampleId(), entry));
                    }
                } catch (ContractViolation e) {
                    LOG.warnf("Skipping unreadable label record %s at offset %d: %s", r.key(), r.offset(),
                            e.getMessage());
                }
            }
        }
        synchronized (read) {
            read.merge(r.partition(), r.offset() + 1, Math::max);
            read.notifyAll();
        }
        if (caughtUp.isReached()) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void caughtUp() {
        caughtUp.reached();
        LOG.infof("Training set: %d labeled samples (%s) in %d classes", samples.size(), perSource(e -> true),
                perClass(e -> true).size());
        listeners.forEach(Runnable::run);
    }

    /** Waits until the index has read the records Kafka stored at {@code written}; false on timeout. */
    public boolean awaitRead(List<RecordMetadata> written, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (read) {
            while (true) {
                boolean all = written.stream().allMatch(m -> read.getOrDefault(m.partition(), 0L) > m.offset());
                long left = deadline - System.currentTimeMillis();
                if (all || left <= 0) {
                    return all;
                }
                read.wait(left);
            }
        }
    }

    /** Calls {@code listener} (on the follower's thread) whenever labels change after start-up. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Tells {@code listener} of every sample the index holds now, then of every change as it is
     * read, on the follower's thread; none is missed or told twice, whenever it registers.
     */
    public void onSample(SampleListener listener) {
        synchronized (sampleListeners) {
            samples.forEach(listener::sample);
            sampleListeners.add(listener);
        }
    }

    public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    /**
     * Waits a moment ({@code argus.trainer.history-wait}) for the index to be read, then refuses
     * with 503 LABELS_NOT_READ: before, a sample, a class or a count may be missing only because it
     * has not been read yet (after a restart, while Kafka is away, or while a long topic is read).
     */
    public void requireCaughtUp() {
        caughtUp.require();
    }

    /** Ready once the index is read (the check {@code label-index}). */
    public HealthCheckResponse readiness() {
        return caughtUp.readiness("label-index");
    }

    public Optional<Entry> get(String sampleId) {
        return Optional.ofNullable(samples.get(sampleId));
    }

    public int size() {
        return samples.size();
    }

    /** Samples per class among those {@code which} selects. */
    public Map<String, Integer> perClass(Predicate<Entry> which) {
        return count(which, Entry::label);
    }

    /** Samples per sensor ({@code (unknown)} for uploads without one and base data). */
    public Map<String, Integer> perSensor(Predicate<Entry> which) {
        return count(which, e -> e.sensorId() == null ? "(unknown)" : e.sensorId());
    }

    /** Samples per source: {@code person}, {@code dataset:...}. */
    public Map<String, Integer> perSource(Predicate<Entry> which) {
        return count(which, Entry::source);
    }

    /** Labels people gave after {@code since} (all of them when null): what counts as new for a run. */
    public static Predicate<Entry> newSince(Instant since) {
        return e -> e.fromPerson() && (since == null || e.labeledAt().isAfter(since));
    }

    public int count(Predicate<Entry> which) {
        return (int) samples.values().stream().filter(which).count();
    }

    private Map<String, Integer> count(Predicate<Entry> which, Function<Entry, String> key) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry e : samples.values()) {
            if (which.test(e)) {
                counts.merge(key.apply(e), 1, Integer::sum);
            }
        }
        return counts;
    }
}
