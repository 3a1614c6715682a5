package io.argus.trainer.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.contract.ModelEvent;
import io.argus.common.json.Json;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;

/**
 * Announces model decisions on {@code argus.models} and waits for Kafka's ack. Every event goes
 * under its version's key; a serving event also under the model name, the champion record (see
 * {@link ModelEvent}). A decision's records (a rollback has two events, three records) are written
 * in one transaction: readers see the whole decision or none of it.
 */
@ApplicationScoped
public class ModelEventPublisher {

    private static final Duration FAIL_AFTER = Duration.ofSeconds(30);

    private final AtomicWrites writes;
    private final String topic;

    public ModelEventPublisher(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.topic = topics.models();
        this.writes = new AtomicWrites("model events", () -> kafka.transactionalRequestProducer("argus-trainer-models",
                KafkaClients.Payload.JSON, "argus-trainer-models-" + config.modelName(), FAIL_AFTER), FAIL_AFTER,
                e -> new IllegalStateException("the model decision was not stored on " + topics.models() + ": " + e, e),
                Duration.ZERO);
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

    @PreDestroy
    void close() {
        writes.close();
    }
}
