package io.argus.trainer.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.common.contract.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.topics.TopicsConfig;
import io.smallrye.common.annotation.Identifier;

/** Announces model decisions on {@code argus.models}, keyed by model name, and waits for Kafka's ack. */
@ApplicationScoped
public class ModelEventPublisher {

    private final Map<String, Object> kafka;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public ModelEventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicsConfig topics) {
        this.kafka = kafka;
        this.topic = topics.models();
    }

    public synchronized void publish(ModelEvent event) throws InterruptedException, ExecutionException,
            TimeoutException {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "argus-trainer-models");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
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
