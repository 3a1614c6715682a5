package io.argus.inference.batching;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.argus.inference.metrics.LoopTime;
import io.argus.inference.outcome.RawBatch;

/**
 * Forms micro-batches from a consumer: a batch closes when it holds {@code maxSize} records or
 * when its first record has waited {@code maxWait}, whichever comes first. Records a poll
 * returns beyond the batch wait, uncommitted, for the next batch; records of partitions this
 * consumer loses are dropped so that their new owner, not this one, classifies them.
 *
 * <p>Used by one thread only (like the consumer it polls).
 */
final class MicroBatcher {

    /**
     * How long one poll waits while no record is pending. Short, so that the loop's time
     * ({@link LoopTime}) is booked at least this often: a reading of its counters misses at most
     * this much of a wait still under way. Kafka answers a waiting poll as soon as records come, so
     * this adds no latency; an idle loop polls 50 times a second.
     */
    private static final Duration IDLE_POLL = Duration.ofMillis(20);

    private final int maxSize;
    private final long maxWaitNanos;
    private final ArrayDeque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
    private long firstArrival;
    private final boolean unboundedPrefetch;

    MicroBatcher(int maxSize, Duration maxWait) {
        this(maxSize, maxWait, false);
    }

    /**
     * @param unboundedPrefetch the test-only fault {@code argus.inference.fault.unbounded-prefetch}:
     *                          poll everything Kafka has ready into memory before each batch
     */
    MicroBatcher(int maxSize, Duration maxWait, boolean unboundedPrefetch) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("batch max size must be at least 1, not " + maxSize);
        }
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.unboundedPrefetch = unboundedPrefetch;
    }

    /** The next batch; empty if {@code running} turned false before any record came. */
    RawBatch next(Consumer<String, byte[]> consumer, BooleanSupplier running) {
        return next(consumer, running, Long.MAX_VALUE);
    }

    /**
     * The next batch; empty if {@code running} turned false, or {@code emptyBy} (a
     * {@link System#nanoTime()}) passed, before any record came.
     */
    RawBatch next(Consumer<String, byte[]> consumer, BooleanSupplier running, long emptyBy) {
        return next(consumer, running, emptyBy, LoopTime.NONE);
    }

    /** As {@link #next(Consumer, BooleanSupplier, long)}, booking each poll's time to consuming or waiting. */
    RawBatch next(Consumer<String, byte[]> consumer, BooleanSupplier running, long emptyBy, LoopTime time) {
        while (running.getAsBoolean() && pending.size() < maxSize) {
            Duration timeout = IDLE_POLL;
            long now = System.nanoTime();
            if (!pending.isEmpty()) {
                long left = firstArrival + maxWaitNanos - now;
                if (left <= 0) {
                    break;
                }
                timeout = Duration.ofNanos(left);
            } else if (emptyBy != Long.MAX_VALUE) {
                long left = emptyBy - now;
                if (left <= 0) {
                    break;
                }
                timeout = Duration.ofNanos(Math.min(left, IDLE_POLL.toNanos()));
            }
            boolean wasEmpty = pending.isEmpty();
            int before = pending.size();
            for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
                pending.add(r);
            }
            time.lap(pending.size() > before ? LoopTime.Phase.CONSUME : LoopTime.Phase.WAIT);
            if (wasEmpty && !pending.isEmpty()) {
                firstArrival = System.nanoTime();
            }
        }
        if (unboundedPrefetch) {
            // The fault: the backlog moves from Kafka into this buffer.
            for (int polls = 0; polls < 10_000 && running.getAsBoolean(); polls++) {
                int before = pending.size();
                consumer.poll(IDLE_POLL).forEach(pending::add);
                if (pending.size() == before) {
                    break;
                }
            }
        }
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(Math.min(maxSize, pending.size()));
        while (batch.size() < maxSize && !pending.isEmpty()) {
            batch.add(pending.poll());
        }
        // Records carried over have waited already: the next batch closes as soon as it can.
        return new RawBatch(batch);
    }

    /** Records polled already and kept for the next batches. */
    int buffered() {
        return pending.size();
    }

    /** Forgets buffered records of partitions this consumer no longer owns. */
    void drop(Collection<TopicPartition> partitions) {
        pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }

    /**
     * Where each partition must be re-read from to process {@code batch} and everything buffered
     * again; clears the buffer. Used after a failed commit.
     */
    Map<TopicPartition, Long> rewind(RawBatch batch) {
        Map<TopicPartition, Long> from = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(batch.records());
        all.addAll(pending);
        for (ConsumerRecord<String, byte[]> r : all) {
            from.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        pending.clear();
        return from;
    }
}
