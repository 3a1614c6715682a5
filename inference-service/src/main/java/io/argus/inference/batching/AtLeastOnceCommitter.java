package io.argus.inference.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * At least once: offsets are committed only after every output of the batch is acknowledged, so
 * a crash never loses an image; it may publish a batch's outputs twice (duplicates carry the same
 * image id as key). The offsets are the consumer's to commit, so this runs on its thread.
 */
final class AtLeastOnceCommitter implements BatchCommitter {

    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final CommitFault fault;

    AtLeastOnceCommitter(Producer<String, byte[]> producer, Consumer<String, byte[]> consumer, CommitFault fault) {
        this.producer = producer;
        this.consumer = consumer;
        this.fault = fault;
    }

    @Override
    public void commit(List<ProducerRecord<String, byte[]>> outputs, Map<TopicPartition, OffsetAndMetadata> offsets,
                       ConsumerGroupMetadata group) {
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(outputs.size());
            for (ProducerRecord<String, byte[]> r : outputs) {
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            fault.check(outputs);
            fault.beforeCommit(outputs, "at least once: outputs acknowledged, offsets not committed", () -> { });
            consumer.commitSync(offsets);
        } catch (ExecutionException | KafkaException e) {
            throw new NotCommitted("outputs or offsets not stored: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotCommitted("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
