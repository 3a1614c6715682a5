package io.argus.inference.batching;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;

/**
 * The fault switches of commits. {@code argus.inference.fault-fail-commit-with-key}: commits that
 * hold a result for one image id (or, with {@code *}, every commit) fail just before they would be
 * committed, inside the transaction, the way a record Kafka refuses makes them fail; tests and
 * drills may turn it while the service runs. {@code argus.inference.fault.halt-before-commit=N}: the
 * Nth commit with outputs halts the JVM once its outputs are sent and before it is committed, a
 * crash surely inside an open transaction. Both off unless configured.
 */
@ApplicationScoped
public class CommitFault {

    /** The key that makes every commit fail. */
    public static final String EVERY_COMMIT = "*";

    /** The exit status of a JVM halted by {@code argus.inference.fault.halt-before-commit}. */
    public static final int HALT_STATUS = 86;

    private final String dlqTopic;
    private volatile Optional<String> key;
    private final int haltOnCommit;
    private final AtomicInteger commitsWithOutputs = new AtomicInteger();

    @Inject
    public CommitFault(InferenceConfig config, TopicsConfig topics) {
        this(topics.dlq(), config.faultFailCommitWithKey(), config.fault().haltBeforeCommit());
    }

    CommitFault(String dlqTopic, Optional<String> key) {
        this(dlqTopic, key, 0);
    }

    CommitFault(String dlqTopic, Optional<String> key, int haltOnCommit) {
        this.dlqTopic = dlqTopic;
        this.key = key;
        this.haltOnCommit = haltOnCommit;
    }

    /** No fault. */
    static CommitFault none() {
        return new CommitFault("", Optional.empty());
    }

    /** For tests and drills: the image id whose results make commits fail, {@code *}, or none. */
    public void failCommitsWith(Optional<String> imageId) {
        key = imageId;
    }

    /** Throws if this commit is to fail. */
    void check(List<ProducerRecord<String, byte[]>> outputs) {
        Optional<String> k = key;
        if (k.isEmpty()) {
            return;
        }
        if (k.get().equals(EVERY_COMMIT)) {
            throw new InjectedCommitFault("every commit fails (argus.inference.fault-fail-commit-with-key=*)");
        }
        for (ProducerRecord<String, byte[]> r : outputs) {
            // The dead letter of that image may pass: the fault stands for a result Kafka refuses.
            if (k.get().equals(r.key()) && !r.topic().equals(dlqTopic)) {
                throw new InjectedCommitFault("commits with a result for image " + k.get()
                        + " fail (argus.inference.fault-fail-commit-with-key)");
            }
        }
    }

    /**
     * Called once a commit's outputs are sent and before it is committed: on the configured Nth
     * commit with outputs, {@code flush} (so that the outputs are on the broker's log, where the
     * next replica's abort must meet them), one line on standard output, and the JVM halts.
     */
    void beforeCommit(List<ProducerRecord<String, byte[]>> outputs, String mode, Runnable flush) {
        if (haltOnCommit <= 0 || outputs.isEmpty() || commitsWithOutputs.incrementAndGet() != haltOnCommit) {
            return;
        }
        flush.run();
        long images = outputs.stream().map(ProducerRecord::key).distinct().count();
        System.out.println("FAULT argus.inference.fault.halt-before-commit: halting on commit " + haltOnCommit
                + " (" + mode + ") with the outputs of " + images + " images sent and not committed");
        System.out.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    /** The injected failure: a Kafka failure inside the transaction, as a refused record would be. */
    static final class InjectedCommitFault extends KafkaException {
        InjectedCommitFault(String message) {
            super("injected fault: " + message);
        }
    }
}
