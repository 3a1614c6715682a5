package io.argus.ingest.publishing;

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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;

import io.argus.common.contract.RawImage;
import io.argus.common.error.ArgusException;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.ingest.IngestConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Publishes images to {@code argus.images.raw} and waits for Kafka's acknowledgement: acks=all
 * and an idempotent producer, so a 202 means the image is stored and retries never duplicate it.
 * The images of one batch upload are written in one Kafka transaction: every reader of the raw
 * topic reads only committed records, so a batch is stored whole or not at all, even when the
 * broker fails half way through it (then the answer is 503 and the open transaction is aborted;
 * see {@link AtomicWrites}).
 */
@ApplicationScoped
public class RawImagePublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final AtomicWrites batches;
    private final String topic;
    private final long timeoutMs;
    private final Duration retryAfter;

    public RawImagePublisher(KafkaClients kafka, TopicsConfig topics, IngestConfig config, MeterRegistry meters) {
        // Fails fast when the broker is away, so the client hears 503 instead of hanging.
        this.producer = kafka.requestProducer("argus-ingest", KafkaClients.Payload.IMAGES, config.publishTimeout());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        this.topic = topics.raw();
        this.timeoutMs = config.publishTimeout().toMillis() + 1000;
        this.retryAfter = Duration.ofSeconds(config.retryAfterSeconds());
        // The transactional id names the replica: a restarted replica aborts the batch its
        // predecessor left open.
        String transactionalId = "argus-ingest-batches-" + config.replicaId();
        this.batches = new AtomicWrites("ingest-batches", () -> kafka.transactionalRequestProducer(
                "argus-ingest-batches", KafkaClients.Payload.IMAGES, transactionalId, config.publishTimeout()),
                config.publishTimeout(), this::unavailable, config.fault().batchPauseAfterFirst());
    }

    /** Publishes one image and returns where Kafka stored it. */
    public RecordMetadata publish(RawImage image) {
        return publishAll(List.of(image)).get(0);
    }

    /**
     * Publishes images and returns where each was stored: one image with the idempotent producer,
     * several in one transaction (all stored, or none for a read_committed reader).
     */
    public List<RecordMetadata> publishAll(List<RawImage> images) {
        if (images.size() == 1) {
            return await(List.of(producer.send(images.get(0).toRecord(topic))));
        }
        return batches.write(images.stream().map(image -> image.toRecord(topic)).toList());
    }

    private List<RecordMetadata> await(List<Future<RecordMetadata>> sent) {
        try {
            List<RecordMetadata> stored = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> f : sent) {
                stored.add(f.get(timeoutMs, TimeUnit.MILLISECONDS));
            }
            return stored;
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /** 503 when Kafka was away or slow (also behind the wrappers of a failed transaction), else a refusal. */
    private RuntimeException unavailable(Throwable cause) {
        boolean away = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            away |= t instanceof RetriableException || t instanceof TimeoutException || t instanceof InterruptedException;
        }
        if (away) {
            return ArgusException.unavailable("KAFKA_UNAVAILABLE",
                    "Kafka did not acknowledge the image(s) in time; none was stored; retry later", retryAfter, cause);
        }
        return new IllegalStateException("Kafka refused the image: " + cause, cause);
    }

    @PreDestroy
    void close() {
        producerMetrics.close();
        producer.close();
        batches.close();
    }
}
