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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.error.ArgusException;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;

/**
 * Writes labeled samples and tombstones to {@code argus.labels}, a request's records in one Kafka
 * transaction: a batch of labels is stored whole or not at all, even if the broker fails half way
 * (readers of the topic read only committed records). Answers with where Kafka stored them.
 */
@ApplicationScoped
public class LabelWriter {

    private static final Logger LOG = Logger.getLogger(LabelWriter.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration FAIL_AFTER = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final String topic;
    private final String transactionalId;
    private final Duration faultPause;
    private KafkaProducer<String, byte[]> producer;

    public LabelWriter(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.kafka = kafka;
        this.topic = topics.labels();
        // One trainer per model: its id fences a trainer that an operator forgot to stop.
        this.transactionalId = "argus-trainer-labels-" + config.modelName();
        this.faultPause = config.fault().labelBatchPauseAfterFirst();
    }

    public List<RecordMetadata> write(List<LabeledSample> samples) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        samples.forEach(s -> records.add(s.toRecord(topic)));
        return send(records);
    }

    public List<RecordMetadata> delete(String sampleId) {
        return send(List.of(LabeledSample.tombstone(topic, sampleId)));
    }

    /** One request's records, in one transaction. */
    private synchronized List<RecordMetadata> send(List<ProducerRecord<String, byte[]>> records) {
        KafkaProducer<String, byte[]> p;
        try {
            p = producer();
            p.beginTransaction();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                Future<RecordMetadata> ack = p.send(r);
                if (ack.isDone()) {
                    // Failed already (no metadata within max.block.ms: Kafka away): every further send
                    // would wait as long again, so a batch would hold its request for minutes.
                    ack.get();
                }
                acks.add(ack);
                if (acks.size() == 1 && !faultPause.isZero()) {
                    // argus.trainer.fault.label-batch-pause-after-first (test-only): the first label on the broker, then a pause.
                    p.flush();
                    LOG.warnf("FAULT argus.trainer.fault.label-batch-pause-after-first: the first label is on the broker; "
                            + "the rest waits %d ms", faultPause.toMillis());
                    Thread.sleep(faultPause.toMillis());
                }
            }
            p.commitTransaction();
            List<RecordMetadata> stored = new ArrayList<>(acks.size());
            for (Future<RecordMetadata> ack : acks) {
                stored.add(ack.get(FAIL_AFTER.toMillis(), TimeUnit.MILLISECONDS));
            }
            return stored;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortOrReplace(e);
            throw unavailable("interrupted while storing the label(s)", e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warnf("%d label(s) not stored, none of them (%s); the request is answered 503", records.size(),
                    e.toString());
            abortOrReplace(e);
            throw unavailable("Kafka did not store the label(s), none of them: " + e.getMessage(), e);
        }
    }

    /** After a failure the transaction is aborted; a producer in a fatal state is replaced. */
    private void abortOrReplace(Exception cause) {
        if (producer == null) {
            return;
        }
        boolean fatal = cause instanceof ProducerFencedException || cause instanceof OutOfOrderSequenceException
                || cause instanceof AuthorizationException;
        // With Kafka away an abort waits max.block.ms for nothing: the next producer's
        // initTransactions aborts what this one left open.
        if (!fatal && !kafkaAway(cause)) {
            try {
                producer.abortTransaction();
                return;
            } catch (KafkaException | IllegalStateException e) {
                // IllegalStateException: a commit that timed out may not be aborted (its outcome is
                // unknown); a new producer's initTransactions settles it.
                LOG.debugf("Could not abort the label transaction (%s); starting a new producer", e.toString());
            }
        }
        closeAside(producer);
        producer = null;
    }

    private static boolean kafkaAway(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes a broken producer on a thread of its own: its close may wait for its network thread,
     * which a request must not (the next request's producer settles what this one left open).
     */
    private static void closeAside(KafkaProducer<String, byte[]> broken) {
        Thread closer = new Thread(() -> broken.close(Duration.ZERO), "argus-label-producer-close");
        closer.setDaemon(true);
        closer.start();
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = kafka.transactionalRequestProducer("argus-trainer-labels", KafkaClients.Payload.IMAGES,
                    transactionalId, FAIL_AFTER);
            producer.initTransactions();
        }
        return producer;
    }

    private static ArgusException unavailable(String message, Exception cause) {
        return ArgusException.unavailable("KAFKA_UNAVAILABLE", message + "; retry later", RETRY_AFTER, cause);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
