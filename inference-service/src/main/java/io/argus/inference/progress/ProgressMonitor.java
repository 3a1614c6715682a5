package io.argus.inference.progress;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Looks, every few seconds and on a thread of its own, at how far the inference group has
 * committed on each raw partition against where the partition ends, and publishes:
 * <ul>
 *   <li>{@code argus_inference_lag_records{topic, partition}}: images not yet committed, for every
 *       partition of the group (the same figure on every replica: take the max, not the sum). Unlike
 *       the consumer's own {@code records_lag}, which counts from what the consumer has read, this
 *       counts what has not been committed, so a batch read again and again does not hide.</li>
 *   <li>{@code argus_inference_stalled} (1 while stalled) and
 *       {@code argus_inference_without_progress_seconds}: of the partitions this replica owns, the
 *       longest any has had images waiting without a commit. Over {@code argus.inference.stall-timeout}
 *       this replica is stalled, and {@link StreamProgressCheck} makes it not ready.</li>
 * </ul>
 * Being apart from the classification loop, it sees a loop that hangs as well as one that fails.
 */
@ApplicationScoped
public class ProgressMonitor {

    private static final Logger LOG = Logger.getLogger(ProgressMonitor.class);
    /** Often enough for a 5 s scrape and for a stall to be seen well within its timeout. */
    private static final Duration MOST_BETWEEN_LOOKS = Duration.ofSeconds(5);
    private static final Duration LEAST_BETWEEN_LOOKS = Duration.ofMillis(200);

    private final KafkaClients kafka;
    private final String rawTopic;
    private final String groupId;
    private final Duration stallTimeout;
    private final Duration every;
    private final AssignedPartitions assigned;
    private final MeterRegistry meters;
    private final PartitionProgress progress = new PartitionProgress();
    private final Set<TopicPartition> gauged = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService looks;
    private Admin admin;
    private boolean failing;

    public ProgressMonitor(KafkaClients kafka, InferenceConfig config, TopicsConfig topics,
                           AssignedPartitions assigned, MeterRegistry meters) {
        this.kafka = kafka;
        this.rawTopic = topics.raw();
        this.groupId = config.groupId();
        this.stallTimeout = config.stallTimeout();
        Duration third = config.stallTimeout().dividedBy(3);
        this.every = third.compareTo(MOST_BETWEEN_LOOKS) > 0 ? MOST_BETWEEN_LOOKS
                : third.compareTo(LEAST_BETWEEN_LOOKS) < 0 ? LEAST_BETWEEN_LOOKS : third;
        this.assigned = assigned;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder("argus.inference.stalled", this, m -> m.stall().isPresent() ? 1 : 0)
                .description("1 while a partition this replica owns has had images waiting without a commit for "
                        + "longer than argus.inference.stall-timeout")
                .register(meters);
        Gauge.builder("argus.inference.without.progress", this,
                        m -> m.longestWithoutProgress().map(s -> s.without().toMillis() / 1000.0).orElse(0.0))
                .description("Longest time a partition this replica owns has had images waiting without a commit")
                .baseUnit("seconds").register(meters);
        admin = kafka.admin("argus-inference-progress");
        looks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-progress");
            t.setDaemon(true);
            return t;
        });
        looks.scheduleWithFixedDelay(this::look, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (looks != null) {
            looks.shutdownNow();
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** The stall of this replica, if a partition it owns has gone without progress for longer than the timeout. */
    public Optional<PartitionProgress.Stall> stall() {
        return longestWithoutProgress().filter(s -> s.without().compareTo(stallTimeout) >= 0);
    }

    public Duration stallTimeout() {
        return stallTimeout;
    }

    private Optional<PartitionProgress.Stall> longestWithoutProgress() {
        return progress.longestWithoutProgress(System.nanoTime(), assigned.owned());
    }

    private void look() {
        try {
            long timeout = Math.max(every.toMillis(), 5000);
            List<TopicPartition> partitions = admin.describeTopics(List.of(rawTopic)).allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS).get(rawTopic).partitions().stream()
                    .map(p -> new TopicPartition(rawTopic, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> group = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
            // Like the consumers, count only committed transactions (for a plain producer's records, the same).
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest(), timeout);
            Map<TopicPartition, Long> committed = new HashMap<>();
            for (TopicPartition p : partitions) {
                OffsetAndMetadata o = group.get(p);
                if (o != null) {
                    committed.put(p, o.offset());
                }
            }
            // A group that has committed nothing on a partition starts at its earliest record.
            List<TopicPartition> fresh = partitions.stream().filter(p -> !committed.containsKey(p)).toList();
            if (!fresh.isEmpty()) {
                committed.putAll(offsets(fresh, OffsetSpec.earliest(), timeout));
            }
            progress.observe(System.nanoTime(), committed, end);
            partitions.forEach(this::gauge);
            if (failing) {
                LOG.infof("Reading the progress of group %s works again", groupId);
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Kafka away: its own health check says so. Lag and stall keep their last known state.
            if (!failing) {
                LOG.warnf("Cannot read the progress of group %s on %s (%s); trying again every %d ms", groupId,
                        rawTopic, e, every.toMillis());
                failing = true;
            }
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, long timeout)
            throws Exception {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        info.forEach((p, i) -> offsets.put(p, i.offset()));
        return offsets;
    }

    private void gauge(TopicPartition partition) {
        if (gauged.add(partition)) {
            Gauge.builder("argus.inference.lag.records", progress,
                            p -> p.lag().getOrDefault(partition, 0L).doubleValue())
                    .description("Images on the raw topic the inference group has not committed yet, per partition")
                    .tag("topic", partition.topic()).tag("partition", Integer.toString(partition.partition()))
                    .register(meters);
        }
    }
}
