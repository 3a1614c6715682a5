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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

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
 * The images of one batch upload are written in one Kafka transaction: every reader of the raw
 * topic reads only committed records, so a batch is stored whole or not at all, even when the
 * broker fails half way through it (then the answer is 503 and the open transaction is aborted).
 */
@ApplicationScoped
public class RawImagePublisher {

    private static final Logger LOG = Logger.getLogger(RawImagePublisher.class);

    private final KafkaClients kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final String topic;
    private final Duration publishTimeout;
    private final long timeoutMs;
    private final Duration retryAfter;
    private final String transactionalId;
    private final Duration faultPause;
    /** Batches, one transaction at a time; made on the first batch. */
    private KafkaProducer<String, byte[]> batches;

    public RawImagePublisher(KafkaClients kafka, TopicsConfig topics, IngestConfig config, MeterRegistry meters) {
        this.kafka = kafka;
        // Fails fast when the broker is away, so the client hears 503 instead of hanging.
        this.producer = kafka.requestProducer("argus-ingest", KafkaClients.Payload.IMAGES, config.publishTimeout());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        this.topic = topics.raw();
        this.publishTimeout = config.publishTimeout();
        this.timeoutMs = config.publishTimeout().toMillis() + 1000;
        this.retryAfter = Duration.ofSeconds(config.retryAfterSeconds());
        this.transactionalId = "argus-ingest-batches-" + config.replicaId();
        this.faultPause = config.fault().batchPauseAfterFirst();
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
        return publishAtomically(images);
    }

    /** One transaction for the whole batch; an error aborts it (or, if Kafka is away, leaves it to be aborted). */
    private synchronized List<RecordMetadata> publishAtomically(List<RawImage> images) {
        try {
            KafkaProducer<String, byte[]> p = batchProducer();
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(images.size());
            for (RawImage image : images) {
                sent.add(p.send(image.toRecord(topic)));
                faultPauseAfterFirst(p, sent.size());
            }
            p.commitTransaction();
            return await(sent);
        } catch (KafkaException e) {
            abortOrReplace(e);
            throw unavailable(e);
        } catch (RuntimeException e) {
            abortOrReplace(e);
            throw e;
        }
    }

    /** {@code argus.ingest.fault.batch-pause-after-first}: the first image on the broker, then a pause (test-only). */
    private void faultPauseAfterFirst(KafkaProducer<String, byte[]> p, int sent) {
        if (sent != 1 || faultPause.isZero()) {
            return;
        }
        p.flush();
        LOG.warnf("FAULT argus.ingest.fault.batch-pause-after-first: the first image of a batch is on the broker; "
                + "the rest waits %d ms", faultPause.toMillis());
        try {
            Thread.sleep(faultPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KafkaProducer<String, byte[]> batchProducer() {
        if (batches == null) {
            KafkaProducer<String, byte[]> p = kafka.transactionalRequestProducer("argus-ingest-batches",
                    KafkaClients.Payload.IMAGES, transactionalId, publishTimeout);
            try {
                // Aborts what a predecessor with this id left open.
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            batches = p;
        }
        return batches;
    }

    /**
     * After a failed batch its transaction is aborted; a producer that cannot abort (Kafka away, or
     * fenced) is closed and the next batch starts a new one, whose first act aborts what is open.
     */
    private void abortOrReplace(Exception cause) {
        if (batches == null) {
            return;
        }
        boolean fatal = cause instanceof ProducerFencedException || cause instanceof OutOfOrderSequenceException
                || cause instanceof AuthorizationException;
        if (!fatal) {
            try {
                batches.abortTransaction();
                return;
            } catch (KafkaException | IllegalStateException e) {
                // IllegalStateException: a commit that timed out may not be aborted (its outcome is
                // unknown); a new producer's initTransactions settles it.
                LOG.debugf("Could not abort the batch's transaction (%s); a new producer will", e.toString());
            }
        }
        KafkaProducer<String, byte[]> broken = batches;
        batches = null;
        // Its close may wait for its network thread, which a request must not; the next batch's
        // producer settles what this one left open.
        Thread closer = new Thread(() -> broken.close(Duration.ZERO), "argus-ingest-batch-producer-close");
        closer.setDaemon(true);
        closer.start();
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
    synchronized void close() {
        producerMetrics.close();
        producer.close();
        if (batches != null) {
            batches.close();
        }
    }
}
