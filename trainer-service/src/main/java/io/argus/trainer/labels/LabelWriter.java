package io.argus.trainer.labels;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.RequestWrites;
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

    private final String topic;
    private final AtomicWrites writes;

    public LabelWriter(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.topic = topics.labels();
        this.writes = RequestWrites.open(kafka, config, "labels", "argus-trainer-labels", KafkaClients.Payload.IMAGES,
                LabelWriter::notStored, config.fault().labelBatchPauseAfterFirst());
    }

    public List<RecordMetadata> write(List<LabeledSample> samples) {
        return writes.write(samples.stream().map(s -> s.toRecord(topic)).toList());
    }

    public List<RecordMetadata> delete(String sampleId) {
        return writes.write(List.of(LabeledSample.tombstone(topic, sampleId)));
    }

    private static RuntimeException notStored(Exception cause) {
        LOG.warnf("Label(s) not stored, none of them (%s); the request is answered 503", cause.toString());
        return RequestWrites.unavailable(
                "Kafka did not store the label(s), none of them: " + cause.getMessage() + "; retry later", cause);
    }

    @PreDestroy
    void close() {
        writes.close();
    }
}
