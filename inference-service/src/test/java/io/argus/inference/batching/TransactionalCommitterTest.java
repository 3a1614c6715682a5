package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the committer does when Kafka misbehaves, with Kafka's in-memory producer. */
class TransactionalCommitterTest {

    private static final Map<TopicPartition, OffsetAndMetadata> OFFSETS =
            Map.of(new TopicPartition("raw", 0), new OffsetAndMetadata(10));
    private static final List<ProducerRecord<String, byte[]>> OUTPUTS =
            List.of(new ProducerRecord<>("classified", "img-1", new byte[] {1}));

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    /** A producer whose first {@code timeouts} commits time out. */
    private static final class SlowToCommit extends MockProducer<String, byte[]> {
        private final AtomicInteger timeouts;

        SlowToCommit(int timeouts) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.timeouts = new AtomicInteger(timeouts);
        }

        @Override
        public void commitTransaction() {
            if (timeouts.getAndDecrement() > 0) {
                throw new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn(true)");
            }
            super.commitTransaction();
        }
    }

    @Test
    void aCommitThatTimesOutIsCommittedAgainNeverAborted() {
        SlowToCommit producer = new SlowToCommit(2);
        TransactionalCommitter committer = new TransactionalCommitter(() -> producer);

        committer.commit(OUTPUTS, OFFSETS, consumer.groupMetadata());

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.transactionAborted()).as("aborting could lose a committed batch's place").isFalse();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void afterTooManyTimeoutsTheOutcomeIsUnknownAndAFreshProducerSettlesIt() {
        AtomicInteger started = new AtomicInteger();
        TransactionalCommitter committer = new TransactionalCommitter(() -> {
            started.incrementAndGet();
            return new SlowToCommit(TransactionalCommitter.COMMIT_ATTEMPTS);
        });

        assertThatThrownBy(() -> committer.commit(OUTPUTS, OFFSETS, consumer.groupMetadata()))
                .isInstanceOf(BatchCommitter.NotCommitted.class).hasMessageContaining("outcome unknown");
        assertThat(started.get()).as("a new producer, whose initTransactions settles the open one").isEqualTo(2);
    }

    @Test
    void aSendThatFailsBeforeTheCommitAbortsTheTransaction() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        producer.sendOffsetsToTransactionException = new KafkaException("coordinator not available");
        TransactionalCommitter committer = new TransactionalCommitter(() -> producer);

        assertThatThrownBy(() -> committer.commit(OUTPUTS, OFFSETS, consumer.groupMetadata()))
                .isInstanceOf(BatchCommitter.NotCommitted.class).hasMessageContaining("aborted");
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.transactionCommitted()).isFalse();
    }
}
