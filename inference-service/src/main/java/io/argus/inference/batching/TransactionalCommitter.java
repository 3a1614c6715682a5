package io.argus.inference.batching;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

/**
 * Exactly-once: a batch's results, reviews, dead letters AND its consumed offsets are one Kafka
 * transaction. Downstream readers with {@code isolation.level=read_committed} see each image's
 * outputs once, whatever crashes in between. The consumer's group metadata fences a replica
 * that lost its partitions in a rebalance (KIP-447).
 */
final class TransactionalCommitter implements BatchCommitter {

    private static final Logger LOG = Logger.getLogger(TransactionalCommitter.class);
    /** With the producer's max.block.ms (60 s) per attempt: Kafka away for minutes before giving up. */
    static final int COMMIT_ATTEMPTS = 5;

    private final Supplier<Producer<String, byte[]>> factory;
    private final CommitFault fault;
    private Producer<String, byte[]> producer;

    TransactionalCommitter(Supplier<Producer<String, byte[]>> factory) {
        this(factory, CommitFault.none());
    }

    TransactionalCommitter(Supplier<Producer<String, byte[]>> factory, CommitFault fault) {
        this.factory = factory;
        this.fault = fault;
        this.producer = start();
    }

    @Override
    public void commit(List<ProducerRecord<String, byte[]>> outputs, Map<TopicPartition, OffsetAndMetadata> offsets,
                       ConsumerGroupMetadata group) {
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : outputs) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(offsets, group);
            fault.check(outputs);
            fault.beforeCommit(outputs, "exactly once: transaction open", producer::flush);
            commitTransaction();
        } catch (CommitOutcomeUnknown e) {
            // A fresh producer's initTransactions completes or aborts what is open; either way the
            // batch is processed again, which can repeat it only if the commit had gone through.
            restart();
            throw new NotCommitted("transaction outcome unknown after " + COMMIT_ATTEMPTS + " timed-out commits ("
                    + e.getCause() + "); producer restarted", e);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            // This producer cannot be used any more: start a fresh one (which aborts what is open).
            restart();
            throw new NotCommitted("transaction failed fatally (" + e + "); producer restarted", e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                restart();
            }
            throw new NotCommitted("transaction aborted: " + e, e);
        }
    }

    /**
     * A commit that times out may have been committed already: aborting then would make the
     * batch be processed twice. The only safe move is to call commit again (KafkaProducer's
     * contract), which returns once the outcome is known.
     */
    private void commitTransaction() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw new CommitOutcomeUnknown(e);
                }
                LOG.warnf("Committing the transaction timed out (attempt %d of %d); committing again", attempt,
                        COMMIT_ATTEMPTS);
            }
        }
    }

    private static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(TimeoutException cause) {
            super(cause);
        }
    }

    private void restart() {
        try {
            producer.close();
        } catch (KafkaException ignored) {
            // closing a broken producer may fail as well; a new one is started regardless
        }
        producer = start();
    }

    private Producer<String, byte[]> start() {
        Producer<String, byte[]> p = factory.get();
        p.initTransactions();
        return p;
    }

    @Override
    public void close() {
        producer.close();
    }
}
