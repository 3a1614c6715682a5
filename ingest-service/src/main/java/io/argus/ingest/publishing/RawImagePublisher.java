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

import io.argus.common.error.ArgusException;
import io.argus.common.contract.RawImage;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.ingest.IngestConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Publishes images to {@code argus.images.raw} and waits for Kafka's acknowledgement: acks=all
 * and an idempotent producer, so a 202 means the image is stored and retries never duplicate it.
 */
@ApplicationScoped
public class RawImagePublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
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
    }

    /** Publishes one image and returns where Kafka stored it. */
    public RecordMetadata publish(RawImage image) {
        return publishAll(List.of(image)).get(0);
    }

    /** Publishes images (all sent before waiting for any) and returns where each was stored. */
    public List<RecordMetadata> publishAll(List<RawImage> images) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(images.size());
        try {
            for (RawImage image : images) {
                sent.add(producer.send(image.toRecord(topic)));
            }
            List<RecordMetadata> stored = new ArrayList<>(images.size());
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

    private RuntimeException unavailable(Throwable cause) {
        if (cause instanceof RetriableException || cause instanceof TimeoutException
                || cause instanceof InterruptedException) {
            return ArgusException.unavailable("KAFKA_UNAVAILABLE",
                    "Kafka did not acknowledge the image in time; it was not stored; retry later", retryAfter, cause);
        }
        return new IllegalStateException("Kafka refused the image: " + cause, cause);
    }

    @PreDestroy
    void close() {
        producerMetrics.close();
        producer.close();
    }
}
