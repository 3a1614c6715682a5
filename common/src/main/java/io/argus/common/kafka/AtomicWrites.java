package io.argus.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;

/**
 * A request's records written in one Kafka transaction, one request at a time: every reader of
 * Argus' topics reads only committed records, so they are stored whole or not at all, even when the
 * broker fails half way (ingest's batch uploads).
 *
 * <p>After a failure the open transaction is aborted. A producer that cannot abort (Kafka away, a
 * commit whose outcome is unknown) or is fenced is closed aside and the next request makes a new
 * one, whose {@code initTransactions} aborts or settles what the old one left open under the same
 * transactional id.
 */
public final class AtomicWrites implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AtomicWrites.class);

    private final String name;
    private final Supplier<KafkaProducer<String, byte[]>> newProducer;
    private final Duration failAfter;
    private final Function<Exception, RuntimeException> notStored;
    private final Duration faultPauseAfterFirst;
    private KafkaProducer<String, byte[]> producer;

    /**
     * @param name                 what is written, for logs and thread names ("labels")
     * @param newProducer          makes a transactional producer (see {@link KafkaClients#transactionalRequestProducer})
     * @param failAfter            how long to wait for each record's acknowledgement after the commit
     * @param notStored            the exception a caller gets when nothing was stored, from its cause
     * @param faultPauseAfterFirst test-only: once the first record is on the broker the rest waits
     *                             this long, so a test can stop the broker mid-batch; zero: never
     */
    public AtomicWrites(String name, Supplier<KafkaProducer<String, byte[]>> newProducer, Duration failAfter,
                        Function<Exception, RuntimeException> notStored, Duration faultPauseAfterFirst) {
        this.name = name;
        this.newProducer = newProducer;
        this.failAfter = failAfter;
        this.notStored = notStored;
        this.faultPauseAfterFirst = faultPauseAfterFirst;
    }

    /** Writes the records in one transaction and returns where each was stored. */
    public synchronized List<RecordMetadata> write(List<ProducerRecord<String, byte[]>> records) {
        try {
            KafkaProducer<String, byte[]> p = producer();
            p.beginTransaction();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> r : records) {
                Future<RecordMetadata> ack = p.send(r);
                if (ack.isDone()) {
                    // Failed already (no metadata within max.block.ms: Kafka away): every further send
                    // would wait as long again, so a batch would hold its request for minutes.
                    ack.get();
                }
                acks.add(ack);
                if (acks.size() == 1) {
                    faultPause(p);
                }
            }
            p.commitTransaction();
            List<RecordMetadata> stored = new ArrayList<>(acks.size());
            for (Future<RecordMetadata> ack : acks) {
                stored.add(ack.get(failAfter.toMillis() + 1000, TimeUnit.MILLISECONDS));
            }
            return stored;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortOrReplace(e);
            throw notStored.apply(e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            abortOrReplace(e);
            throw notStored.apply(e);
        } catch (RuntimeException e) {
            abortOrReplace(e);
            throw e;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> p = newProducer.get();
            try {
                // Aborts what a predecessor with this transactional id left open.
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

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
                LOG.debugf("Could not abort the %s transaction (%s); a new producer will", name, e.toString());
            }
        }
        KafkaProducer<String, byte[]> broken = producer;
        producer = null;
        // Its close may wait for its network thread, which a request must not.
        Thread closer = new Thread(() -> broken.close(Duration.ZERO), "argus-" + name + "-producer-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static boolean kafkaAway(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void faultPause(KafkaProducer<String, byte[]> p) throws InterruptedException {
        if (faultPauseAfterFirst.isZero()) {
            return;
        }
        p.flush();
        LOG.warnf("FAULT: the first of a batch of %s is on the broker; the rest waits %d ms", name,
                faultPauseAfterFirst.toMillis());
        Thread.sleep(faultPauseAfterFirst.toMillis());
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
