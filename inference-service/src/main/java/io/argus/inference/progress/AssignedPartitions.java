package io.argus.inference.progress;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

/**
 * The raw partitions this replica owns now, and since when ({@link System#nanoTime()}): the
 * classification loop tells, as the group assigns and revokes them. A replica answers for the
 * progress of its own partitions only, and only from the moment it got them.
 */
@ApplicationScoped
public class AssignedPartitions {

    private final Map<TopicPartition, Long> since = new ConcurrentHashMap<>();

    public void assigned(Collection<TopicPartition> partitions) {
        long now = System.nanoTime();
        partitions.forEach(p -> since.putIfAbsent(p, now));
    }

    public void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(since::remove);
    }

    /** The consumer is gone (closed, or being replaced): nothing is owned. */
    public void none() {
        since.clear();
    }

    /** Each owned partition with the {@link System#nanoTime()} it was assigned at. */
    public Map<TopicPartition, Long> owned() {
        return Map.copyOf(since);
    }
}
