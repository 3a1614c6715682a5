package io.argus.inference.progress;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

/**
 * Where the group stands on each raw partition, from repeated looks at its committed offsets and
 * the partitions' end offsets: the lag that is really there (images not yet committed, whether or
 * not a consumer has read them), and since when each partition has gone without progress. A
 * partition makes progress when its committed offset moves forward, or when nothing waits on it;
 * images that wait are counted from the first look that saw them.
 *
 * <p>Times are {@link System#nanoTime()} values, given by the caller.
 */
final class PartitionProgress {

    private record State(long committed, long end, long progressAt) {
    }

    /** The partition that went longest without progress while images waited on it. */
    record Stall(TopicPartition partition, long waiting, Duration without) {
    }

    private final Map<TopicPartition, State> states = new HashMap<>();

    /**
     * One look at the group.
     *
     * @param committed per partition, the group's committed offset, or where it starts reading
     *                  when it has committed none
     * @param end       per partition, the offset after its last committed record
     */
    synchronized void observe(long now, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        end.forEach((partition, last) -> {
            long done = committed.getOrDefault(partition, 0L);
            State before = states.get(partition);
            // Waiting is counted from the first look that saw images waiting, not from the last commit.
            boolean progress = before == null || done > before.committed() || done >= last
                    || before.committed() >= before.end();
            states.put(partition, new State(done, last, progress ? now : before.progressAt()));
        });
        states.keySet().retainAll(end.keySet());
    }

    /** Images waiting per partition, as of the last look. */
    synchronized Map<TopicPartition, Long> lag() {
        Map<TopicPartition, Long> lag = new HashMap<>();
        states.forEach((p, s) -> lag.put(p, Math.max(0, s.end() - s.committed())));
        return lag;
    }

    /**
     * Of the partitions {@code owned} (each with the time it was assigned), the one with images
     * waiting that has gone longest without progress; a partition is not blamed for the time
     * before it was assigned.
     */
    synchronized Optional<Stall> longestWithoutProgress(long now, Map<TopicPartition, Long> owned) {
        Stall worst = null;
        for (Map.Entry<TopicPartition, Long> o : owned.entrySet()) {
            State s = states.get(o.getKey());
            if (s == null || s.committed() >= s.end()) {
                continue;
            }
            Duration without = Duration.ofNanos(Math.max(0, now - Math.max(s.progressAt(), o.getValue())));
            if (worst == null || without.compareTo(worst.without()) > 0) {
                worst = new Stall(o.getKey(), s.end() - s.committed(), without);
            }
        }
        return Optional.ofNullable(worst);
    }
}
