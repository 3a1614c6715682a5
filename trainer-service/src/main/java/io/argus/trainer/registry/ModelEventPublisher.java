package io.argus.trainer.registry;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.json.Json;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.RequestWrites;
import io.argus.trainer.TrainerConfig;

/**
 * Announces model decisions on {@code argus.models} and waits for Kafka's ack. Every event goes
 * under its version's key; a serving event also under the model name, the champion record (see
 * {@link ModelEvent}). A decision's records (a rollback has two events, three records) are written
 * in one transaction: readers see the whole decision or none of it. When Kafka cannot take it within
 * {@link RequestWrites#FAIL_AFTER} the decision fails with 503 KAFKA_UNAVAILABLE, as a label does
 * ({@link RequestWrites}).
 */
@ApplicationScoped
public class ModelEventPublisher {

    private static final Logger LOG = Logger.getLogger(ModelEventPublisher.class);

    private final AtomicWrites writes;
    private final String topic;

    public ModelEventPublisher(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.topic = topics.models();
        this.writes = RequestWrites.open(kafka, config, "model events", "argus-trainer-models",
                KafkaClients.Payload.JSON, e -> notStored(topics.models(), e),
                config.fault().modelDecisionPauseAfterFirst());
    }

    /** Writes the events, in this order, in one transaction. */
    public void publish(List<ModelEvent> events) {
        writes.write(records(topic, events));
    }

    /** The records of a decision: each event under its version key, a serving one under the model name too. */
    static List<ProducerRecord<String, byte[]>> records(String topic, List<ModelEvent> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (ModelEvent e : events) {
            byte[] json = Json.write(e);
            records.add(new ProducerRecord<>(topic, ModelEvent.versionKey(e.modelName(), e.version()), json));
            if (e.status() != null && e.status().serves()) {
                records.add(new ProducerRecord<>(topic, ModelEvent.championKey(e.modelName()), json));
            }
        }
        return records;
    }

    /**
     * The transaction is all or nothing, but a commit whose answer was lost may have been stored
     * whole: a retry then finds the version champion already (409), never half a decision.
     */
    private static RuntimeException notStored(String topic, Exception cause) {
        LOG.warnf("Model decision not stored on %s (%s); answered 503", topic, cause.toString());
        return RequestWrites.unavailable("Kafka did not confirm the model decision on " + topic + " within "
                + RequestWrites.FAIL_AFTER.toSeconds() + " s (" + cause.getMessage() + "); a decision is stored whole "
                + "or not at all: retry later", cause);
    }

    @PreDestroy
    void close() {
        writes.close();
    }
}
