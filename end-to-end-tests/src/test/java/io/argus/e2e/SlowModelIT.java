package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

/**
 * A model slower than the stream (every forward pass takes 500 ms more, injected): the backlog
 * grows in Kafka, not in the service's memory; the consumer group does not rebalance; once the
 * stream stops the lag drains and every image has exactly one result.
 */
@ExtendWith(StackExtension.class)
class SlowModelIT {

    private static final int IMAGES = 3000;
    private static final int PER_SECOND = 300;
    private static final String GROUP = "argus-inference";
    /** The process bound the stack gives inference ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes=3g}). */
    private static final long PROCESS_BOUND_BYTES = 3L << 30;

    @Test
    void aSlowModelLetsTheLagGrowThenDrainWithBoundedMemoryAndNoRebalance(ArgusStack stack) throws Exception {
        Path log = stack.work.resolve("inference.log");
        long previousStarts = assignments(log);
        stack.inference().stop();
        stack.startInference("-Dargus.inference.fault-batch-delay=500ms", "-Dargus.inference.batch.max-size=64");
        stack.awaitInference();
        // The new replica's own first assignment comes just after it is ready: that one is expected.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (assignments(log) == previousStarts && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long assignmentsBefore = assignments(log);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrap()))) {
            LabeledImages test = FashionMnist.loadSubset().test();
            Set<String> sent = new HashSet<>();
            long peakLag = 0;
            try (KafkaProducer<String, byte[]> cameras = new KafkaProducer<>(Map.of("bootstrap.servers",
                    stack.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < IMAGES; i++) {
                    Pace.await(start, i, PER_SECOND);
                    String id = "slow-" + i;
                    cameras.send(new RawImage(id, "slow-cam-" + (i % 6), Instant.now(), null, null,
                            test.png(i % test.count())).toRecord(Topics.RAW));
                    sent.add(id);
                    if (i % 300 == 0) {
                        peakLag = Math.max(peakLag, lag(admin));
                    }
                }
            }
            long drainStart = System.nanoTime();
            long lag;
            do {
                lag = lag(admin);
                peakLag = Math.max(peakLag, lag);
                Thread.sleep(500);
            } while (lag > 0 && System.nanoTime() - drainStart < Duration.ofSeconds(180).toNanos());
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

            long peakRss = peakRssBytes(stack.inference().pid());
            Ledger ledger = Ledger.read(stack.bootstrap(), sent, Duration.ofSeconds(60));
            long newAssignments = assignments(log) - assignmentsBefore;
            System.out.printf("SLOW MODEL 500 ms per batch of up to 64, %d images at %d/s: peak lag %d, drained in "
                            + "%.1f s after the stream, peak RSS %.0f MB, partition assignments during the run %d, "
                            + "classified %d, missing %d, duplicates %d%n", IMAGES, PER_SECOND, peakLag, drainSeconds,
                    peakRss / 1e6, newAssignments, ledger.classified.size(), ledger.missing(sent), ledger.duplicates());

            assertThat(peakLag).as("the model really was slower than the stream").isGreaterThan(500);
            assertThat(lag).as("lag drains once the stream stops").isZero();
            assertThat(newAssignments).as("no rebalance while the backlog lasted").isZero();
            assertThat(peakRss).as("peak resident memory within the process bound").isLessThan(PROCESS_BOUND_BYTES);
            assertThat(ledger.missing(sent)).isZero();
            assertThat(ledger.duplicates()).isZero();
        } finally {
            stack.inference().stop();
            stack.startInference();
            stack.awaitInference();
        }
    }

    /** Records on the raw topic not yet committed by inference's group. */
    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        Set<TopicPartition> partitions = admin.describeTopics(List.of(Topics.RAW)).allTopicNames().get()
                .get(Topics.RAW).partitions().stream().map(p -> new TopicPartition(Topics.RAW, p.partition()))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /** "Classifying partitions ..." lines: one per assignment of partitions to inference. */
    private static long assignments(Path log) throws Exception {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Classifying partitions")).count();
        }
    }

    /** The process's peak resident set size (VmHWM) from /proc. */
    private static long peakRssBytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for " + pid);
    }
}
