package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.inference.outcome.RawBatch;

/**
 * The batching rules alone, with Kafka's in-memory consumer (the real broker path is covered by
 * InferenceStreamTest and the end-to-end tests).
 */
class MicroBatcherTest {

    private static final TopicPartition P0 = new TopicPartition("raw", 0);
    private static final TopicPartition P1 = new TopicPartition("raw", 1);

    private MockConsumer<String, byte[]> consumer;

    @BeforeEach
    void consumer() {
        consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0, P1));
        Map<TopicPartition, Long> begin = new HashMap<>();
        begin.put(P0, 0L);
        begin.put(P1, 0L);
        consumer.updateBeginningOffsets(begin);
    }

    @Test
    void aFullBatchClosesAtOnceAndTheRestWaitsForTheNextOne() {
        add(P0, 0, 10);
        MicroBatcher batcher = new MicroBatcher(4, Duration.ofSeconds(10));

        Timed first = timed(() -> batcher.next(consumer, () -> true));
        Timed second = timed(() -> batcher.next(consumer, () -> true));

        assertThat(first.batch().records()).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(second.batch().records()).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L);
        assertThat(first.took().plus(second.took())).isLessThan(Duration.ofSeconds(5));
        assertThat(first.batch().nextOffsets().get(P0).offset()).isEqualTo(4);
    }

    @Test
    void aPartialBatchClosesWhenItsFirstImageHasWaitedMaxWait() {
        add(P0, 0, 2);
        MicroBatcher batcher = new MicroBatcher(32, Duration.ofMillis(150));

        Timed partial = timed(() -> batcher.next(consumer, () -> true));

        assertThat(partial.batch().size()).isEqualTo(2);
        assertThat(partial.took()).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    @Test
    void stoppingWhileIdleReturnsAnEmptyBatch() {
        MicroBatcher batcher = new MicroBatcher(8, Duration.ofMillis(50));

        assertThat(batcher.next(consumer, () -> false).isEmpty()).isTrue();
    }

    @Test
    void withNothingToReadTheBatcherReturnsEmptyByTheCallersDeadline() {
        // The loop holds classified but uncommitted images: it must get control back to commit them.
        MicroBatcher batcher = new MicroBatcher(8, Duration.ofMillis(50));

        long deadline = System.nanoTime() + 100_000_000L;
        Timed empty = timed(() -> batcher.next(consumer, () -> true, deadline));

        assertThat(empty.batch().isEmpty()).isTrue();
        assertThat(empty.took()).isBetween(Duration.ofMillis(90), Duration.ofSeconds(2));
    }

    @Test
    void recordsOfALostPartitionAreDroppedFromTheBuffer() {
        add(P0, 0, 3);
        add(P1, 0, 3);
        MicroBatcher batcher = new MicroBatcher(2, Duration.ofMillis(100));
        batcher.next(consumer, () -> true); // takes 2, buffers 4

        batcher.drop(List.of(P1));
        RawBatch next = batcher.next(consumer, () -> true);

        assertThat(next.records()).allMatch(r -> r.partition() == 0);
    }

    @Test
    void rewindingAfterAFailedCommitReturnsTheFirstOffsetPerPartitionAndEmptiesTheBuffer() {
        add(P0, 0, 3);
        add(P1, 0, 3);
        MicroBatcher batcher = new MicroBatcher(2, Duration.ofSeconds(10));
        RawBatch batch = batcher.next(consumer, () -> true);

        Map<TopicPartition, Long> from = batcher.rewind(batch);

        assertThat(from).containsEntry(P0, 0L).containsEntry(P1, 0L);
        consumer.seek(P0, 0);
        consumer.seek(P1, 0);
        add(P0, 0, 0);
        assertThat(batcher.next(consumer, () -> false).isEmpty()).as("buffer was emptied").isTrue();
    }

    /** What a call of {@code next} returned, and how long it took to return. */
    private record Timed(RawBatch batch, Duration took) {
    }

    private static Timed timed(Supplier<RawBatch> next) {
        long start = System.nanoTime();
        RawBatch batch = next.get();
        return new Timed(batch, Duration.ofNanos(System.nanoTime() - start));
    }

    private void add(TopicPartition p, long from, int count) {
        for (long o = from; o < from + count; o++) {
            consumer.addRecord(new ConsumerRecord<>(p.topic(), p.partition(), o, "k", new byte[] {1}));
        }
    }
}
