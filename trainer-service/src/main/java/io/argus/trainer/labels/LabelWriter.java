package io.argus.trainer.labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.common.contract.LabeledSample;
import io.argus.common.topics.TopicSpec;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.ApiError;
import io.smallrye.common.annotation.Identifier;

/** Writes labeled samples and tombstones to {@code argus.labels} and waits for Kafka's ack. */
@ApplicationScoped
public class LabelWriter {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public LabelWriter(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicsConfig topics) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "argus-trainer-labels");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topics.labels();
    }

    public void write(List<LabeledSample> samples) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        samples.forEach(s -> records.add(s.toRecord(topic)));
        send(records);
    }

    public void delete(String sampleId) {
        send(List.of(LabeledSample.tombstone(topic, sampleId)));
    }

    private void send(List<ProducerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try {
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(15, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new ApiError(503, "KAFKA_UNAVAILABLE", "Kafka did not store the label(s): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "KAFKA_UNAVAILABLE", "interrupted");
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
