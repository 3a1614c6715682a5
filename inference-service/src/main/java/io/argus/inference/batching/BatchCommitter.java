package io.argus.inference.batching;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Stores a batch's outputs and then marks its input consumed. If it throws, nothing of the batch
 * counts as consumed and the caller processes the batch again.
 */
interface BatchCommitter extends AutoCloseable {

    /**
     * @param group the consumer's group metadata when the records were consumed: a transaction
     *              carries it, so a replica that lost its partitions in a rebalance is fenced (KIP-447)
     */
    void commit(List<ProducerRecord<String, byte[]>> outputs, Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group);

    @Override
    void close();

    /** The batch was not committed; process it again. */
    class NotCommitted extends RuntimeException {

        private final String cause;
        private final String rootCause;
        private final boolean isolatable;
        private final boolean recordAtFault;

        NotCommitted(String message, Throwable cause) {
            super(message, cause);
            Throwable root = cause;
            boolean recordMayBeAtFault = true;
            boolean kafkaBlamesARecord = false;
            for (Throwable t = cause; t != null; t = t.getCause()) {
                root = t;
                recordMayBeAtFault &= !aboutKafkaNotTheRecords(t);
                kafkaBlamesARecord |= aboutARecord(t);
            }
            this.cause = root == null ? "unknown" : root.getClass().getSimpleName();
            this.rootCause = root == null || root == cause ? "" : "; caused by " + root;
            this.isolatable = recordMayBeAtFault;
            this.recordAtFault = recordMayBeAtFault && kafkaBlamesARecord;
        }

        /** The message with the innermost cause's, which Kafka's wrappers ("we are in an error state") hide. */
        String reason() {
            return getMessage() + rootCause;
        }

        /** What failed, for logs and metrics: the innermost exception's class, e.g. RecordTooLargeException. */
        String cause() {
            return cause;
        }

        /**
         * Whether committing fewer records might succeed: false when Kafka itself is away or refuses
         * this producer or consumer (then every record would fail alike, and the batch must wait,
         * not be taken apart).
         */
        boolean isolatable() {
            return isolatable;
        }

        /**
         * Whether Kafka said that a record itself cannot be taken, whenever it is sent: too large,
         * a timestamp out of range, not serializable. Only such a failure is evidence enough to give
         * a record up; an isolatable failure without it may be transient, misclassified.
         */
        boolean recordAtFault() {
            return recordAtFault;
        }

        /**
         * Transient errors (a broker away, a coordinator moving, a timeout), a producer that was
         * fenced or lost its sequence, credentials or permissions, a group that rebalanced, an
         * interrupt: none is about what the records hold.
         */
        private static boolean aboutKafkaNotTheRecords(Throwable t) {
            return t instanceof RetriableException || t instanceof ApplicationRecoverableException
                    || t instanceof InvalidConfigurationException || t instanceof OutOfOrderSequenceException
                    || t instanceof CommitFailedException || t instanceof RebalanceInProgressException
                    || t instanceof InterruptException || t instanceof InterruptedException
                    || t instanceof IllegalStateException;
        }

        private static boolean aboutARecord(Throwable t) {
            return t instanceof RecordTooLargeException || t instanceof InvalidTimestampException
                    || t instanceof SerializationException;
        }
    }
}
