package io.argus.inference.batching;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Stores a batch's outputs and then marks its input consumed. If it throws, nothing of the batch
 * counts as consumed and the caller processes the batch again.
 */
interface BatchCommitter extends AutoCloseable {

    void commit(List<ProducerRecord<String, byte[]>> outputs, Map<TopicPartition, OffsetAndMetadata> offsets,
                Consumer<String, byte[]> consumer);

    @Override
    void close();

    /** The batch was not committed; process it again. */
    class NotCommitted extends RuntimeException {
        NotCommitted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
