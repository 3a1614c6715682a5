package io.argus.common.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How an Argus topic is created: partitions and the topic-level settings the design asks for
 * (image-sized messages, retention, compaction). Whoever creates topics (the local broker, the
 * Strimzi manifests) follows this list.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    /** Largest record the image topics accept: a 10 MiB image plus headers, with room to spare. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final String WEEK = Long.toString(Duration.ofDays(7).toMillis());
    private static final String TWO_WEEKS = Long.toString(Duration.ofDays(14).toMillis());

    /**
     * The Argus topics.
     *
     * @param imagePartitions partitions of the image topics; the number of inference replicas that can share the work
     */
    public static List<TopicSpec> argusTopics(TopicNames names, int imagePartitions) {
        String maxBytes = Integer.toString(MAX_MESSAGE_BYTES);
        return List.of(
                new TopicSpec(names.raw(), imagePartitions,
                        Map.of("max.message.bytes", maxBytes, "retention.ms", WEEK, "cleanup.policy", "delete")),
                new TopicSpec(names.classified(), imagePartitions,
                        Map.of("retention.ms", WEEK, "cleanup.policy", "delete")),
                new TopicSpec(names.review(), imagePartitions,
                        Map.of("retention.ms", TWO_WEEKS, "cleanup.policy", "delete")),
                new TopicSpec(names.dlq(), imagePartitions,
                        Map.of("max.message.bytes", maxBytes, "retention.ms", TWO_WEEKS, "cleanup.policy", "delete")),
                // The training set: one record per sample id forever (a tombstone removes it).
                new TopicSpec(names.labels(), imagePartitions,
                        Map.of("max.message.bytes", maxBytes, "cleanup.policy", "compact", "retention.ms", "-1")),
                // One partition keeps every model event in order; compaction keeps "current" per model name.
                new TopicSpec(names.models(), 1,
                        Map.of("cleanup.policy", "compact", "retention.ms", "-1")),
                // Keyed by sensor like the raw images; compaction keeps each sensor's latest state.
                new TopicSpec(names.drift(), imagePartitions,
                        Map.of("cleanup.policy", "compact", "retention.ms", "-1")),
                // Read by the trainer during a shadow window (minutes to hours); a week leaves room to look back.
                new TopicSpec(names.shadow(), imagePartitions,
                        Map.of("retention.ms", WEEK, "cleanup.policy", "delete")));
    }
}
