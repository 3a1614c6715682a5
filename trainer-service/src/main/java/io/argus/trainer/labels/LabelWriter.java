package io.argus.trainer.labels;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.error.ArgusException;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;

/**
 * Writes labeled samples and tombstones to {@code argus.labels}, a request's records in one Kafka
 * transaction: a batch of labels is stored whole or not at all, even if the broker fails half way
 * (readers of the topic read only committed records; see {@link AtomicWrites}). Answers with where
 * Kafka stored them.
 */
@ApplicationScoped
public class LabelWriter {

    private static final Logger LOG = Logger.getLogger(LabelWriter.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration FAIL_AFTER = Duration.ofSeconds(10);

    private final String topic;
    private final AtomicWrites writes;

    public LabelWriter(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.topic = topics.labels();
        // One trainer per model: its id fences a trainer that an operator forgot to stop.
        String transactionalId = "argus-trainer-labels-" + config.modelName();
        this.writes = new AtomicWrites("labels", () -> kafka.transactionalRequestProducer("argus-trainer-labels",
                KafkaClients.Payload.IMAGES, transactionalId, FAIL_AFTER), FAIL_AFTER, LabelWriter::notStored,
                config.fault().labelBatchPauseAfterFirst());
    }

    public List<RecordMetadata> write(List<LabeledSample> samples) {
        return writes.write(samples.stream().map(s -> s.toRecord(topic)).toList());
    }

    public List<RecordMetadata> delete(String sampleId) {
        return writes.write(List.of(LabeledSample.tombstone(topic, sampleId)));
    }

    private static RuntimeException notStored(Exception cause) {
        LOG.warnf("Label(s) not stored, none of them (%s); the request is answered 503", cause.toString());
        return ArgusException.unavailable("KAFKA_UNAVAILABLE",
                "Kafka did not store the label(s), none of them: " + cause.getMessage() + "; retry later",
                RETRY_AFTER, cause);
    }

    @PreDestroy
    void close() {
        writes.close();
    }
}
