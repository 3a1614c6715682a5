package io.argus.trainer.labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.argus.common.contract.LabeledSample;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.common.error.ArgusException;

/** Writes labeled samples and tombstones to {@code argus.labels} and waits for Kafka's ack. */
@ApplicationScoped
public class LabelWriter {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public LabelWriter(KafkaClients kafka, TopicsConfig topics) {
        this.producer = kafka.requestProducer("argus-trainer-labels", KafkaClients.Payload.IMAGES,
                Duration.ofSeconds(10));
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
            throw ArgusException.unavailable("KAFKA_UNAVAILABLE", "Kafka did not store the label(s): " + e.getMessage(),
                    RETRY_AFTER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.unavailable("KAFKA_UNAVAILABLE", "interrupted while storing the label(s)",
                    RETRY_AFTER, e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
