package io.argus.trainer.registry;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.json.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;

/** Announces model decisions on {@code argus.models}, keyed by model name, and waits for Kafka's ack. */
@ApplicationScoped
public class ModelEventPublisher {

    private final KafkaClients kafka;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public ModelEventPublisher(KafkaClients kafka, TopicsConfig topics) {
        this.kafka = kafka;
        this.topic = topics.models();
    }

    public synchronized void publish(ModelEvent event) throws InterruptedException, ExecutionException,
            TimeoutException {
        if (producer == null) {
            producer = kafka.reliableProducer("argus-trainer-models", KafkaClients.Payload.JSON);
        }
        producer.send(new ProducerRecord<>(topic, event.modelName(), Json.write(event))).get(30, TimeUnit.SECONDS);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
