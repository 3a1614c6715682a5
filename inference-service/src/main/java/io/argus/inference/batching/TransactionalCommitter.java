package io.argus.inference.batching;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Exactly-once: a batch's results, reviews, dead letters AND its consumed offsets are one Kafka
 * transaction. Downstream readers with {@code isolation.level=read_committed} see each image's
 * outputs once, whatever crashes in between. The consumer's group metadata fences a replica
 * that lost its partitions in a rebalance (KIP-447).
 */
final class TransactionalCommitter implements BatchCommitter {

    private final Supplier<Producer<String, byte[]>> factory;
    private Producer<String, byte[]> producer;

    TransactionalCommitter(Supplier<Producer<String, byte[]>> factory) {
        this.factory = factory;
        this.producer = start();
    }

    @Override
    public void commit(List<ProducerRecord<String, byte[]>> outputs, Map<TopicPartition, OffsetAndMetadata> offsets,
                       Consumer<String, byte[]> consumer) {
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : outputs) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            // This producer cannot be used any more: start a fresh one (which aborts what is open).
            producer.close();
            producer = start();
            throw new NotCommitted("transaction failed fatally (" + e + "); producer restarted", e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                producer.close();
                producer = start();
            }
            throw new NotCommitted("transaction aborted: " + e, e);
        }
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
