package io.argus.inference.batching;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;

/**
 * The fault switch {@code argus.inference.fault-fail-commit-with-key}: commits that hold a result
 * for one image id (or, with {@code *}, every commit) fail just before they would be committed,
 * inside the transaction, the way a record Kafka refuses makes them fail. Off unless configured;
 * tests and drills may turn it while the service runs.
 */
@ApplicationScoped
public class CommitFault {

    /** The key that makes every commit fail. */
    public static final String EVERY_COMMIT = "*";

    private final String dlqTopic;
    private volatile Optional<String> key;

    @Inject
    public CommitFault(InferenceConfig config, TopicsConfig topics) {
        this(topics.dlq(), config.faultFailCommitWithKey());
    }

    CommitFault(String dlqTopic, Optional<String> key) {
        this.dlqTopic = dlqTopic;
        this.key = key;
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

    /** The injected failure: a Kafka failure inside the transaction, as a refused record would be. */
    static final class InjectedCommitFault extends KafkaException {
        InjectedCommitFault(String message) {
            super("injected fault: " + message);
        }
    }
}
