package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.RawImage;
import io.argus.common.topics.Topics;

/**
 * A model slower than the stream (every forward pass takes 500 ms more, injected) under a backlog
 * of large photos (12-megapixel JPEGs of about 5 MB, some 750 MB in all): the backlog grows in
 * Kafka, not in the service's memory; the consumer group does not rebalance; once the stream stops
 * the lag drains and every image has exactly one result.
 *
 * <p>Memory is judged against the replica's own level before the stream (after a warm-up with the
 * same photos) plus what its settings let it hold: the batch being classified, the batch waiting
 * for its commit and the batcher's next poll ({@code 3 x max-size} records of the largest photo),
 * one fetch of the consumer ({@code fetch.max.bytes}) and the decode budget. Rebalances are the
 * consumer's own count ({@code kafka_consumer_coordinator_rebalance_total}).
 *
 * <p>To see it fail: {@code -Dargus.e2e.break=slow-prefetch} runs the replica with
 * {@code argus.inference.fault.unbounded-prefetch} (the backlog polled into memory);
 * {@code -Dargus.e2e.break=slow-rebalance} with {@code kafka.max.poll.interval.ms=1000}, shorter
 * than a batch, so the consumer drops out of its group.
 */
@ExtendWith(StackExtension.class)
class SlowModelIT {

    private static final int IMAGES = 160;
    private static final int PER_SECOND = 16;
    private static final int WARM_UP = 32;
    private static final int MAX_SIZE = 16;
    private static final String GROUP = "argus-inference";
    /** The consumer's default {@code fetch.max.bytes}: one fetch response it may hold. */
    private static final long FETCH_MAX_BYTES = 50L << 20;
    /** Inference's {@code argus.images.decode-memory} (its default). */
    private static final long DECODE_MEMORY = 128L << 20;

    @Test
    void aSlowModelLetsTheLagGrowThenDrainWithBoundedMemoryAndNoRebalance(ArgusStack stack) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xmx2g", "-Dargus.inference.fault-batch-delay=500ms",
                "-Dargus.inference.batch.max-size=" + MAX_SIZE));
        if (Break.is("slow-prefetch")) {
            options.add("-Dargus.inference.fault.unbounded-prefetch=true");
        }
        if (Break.is("slow-rebalance")) {
            options.add("-Dkafka.max.poll.interval.ms=1000");
        }
        List<byte[]> photos = photos(8);
        long largest = photos.stream().mapToLong(p -> p.length).max().orElseThrow();
        long inFlight = 3L * MAX_SIZE * largest;
        long margin = inFlight + FETCH_MAX_BYTES + DECODE_MEMORY;

        stack.inference().stop();
        stack.startInference(options.toArray(String[]::new));
        try (Admin admin = stack.kafka().admin("e2e-slow-model");
             KafkaProducer<String, byte[]> cameras = stack.kafka().loadProducer("e2e-cameras")) {
            stack.awaitInference();
            long pid = stack.inference().pid();

            // Warm-up: the same photos, so that the level before the stream is the working level.
            Set<String> warm = new HashSet<>();
            for (int i = 0; i < WARM_UP; i++) {
                String id = "slow-warm-" + i;
                cameras.send(new RawImage(id, "slow-cam-" + (i % 6), Instant.now(), null, null,
                        photos.get(i % photos.size())).toRecord(Topics.RAW)).get();
                warm.add(id);
            }
            assertThat(Ledger.read(stack.bootstrap(), warm, Duration.ofSeconds(120)).missing(warm)).isZero();
            awaitNoLag(admin, Duration.ofSeconds(60));
            double rebalancesBefore = rebalances(stack);
            long before = rssBytes(pid, "VmRSS:");
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5"); // VmHWM starts again from here

            Set<String> sent = new HashSet<>();
            long peakLag = 0;
            long backlogBytes = 0;
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < IMAGES; i++) {
                Pace.await(start, i, PER_SECOND);
                String id = "slow-" + i;
                byte[] photo = photos.get(i % photos.size());
                acks.add(cameras.send(new RawImage(id, "slow-cam-" + (i % 6), Instant.now(), null, null, photo)
                        .toRecord(Topics.RAW)));
                backlogBytes += photo.length;
                sent.add(id);
                if (i % 16 == 0) {
                    peakLag = Math.max(peakLag, lag(admin));
                }
            }
            for (Future<RecordMetadata> a : acks) {
                a.get();
            }
            long drainStart = System.nanoTime();
            long lag;
            do {
                lag = lag(admin);
                peakLag = Math.max(peakLag, lag);
                Thread.sleep(500);
            } while (lag > 0 && System.nanoTime() - drainStart < Duration.ofSeconds(240).toNanos());
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

            long peak = rssBytes(pid, "VmHWM:");
            double rebalancesAfter = rebalances(stack);
            Ledger ledger = Ledger.read(stack.bootstrap(), sent, Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "SLOW MODEL 500 ms per batch of up to %d, %d photos of up to %.1f MB "
                            + "(%.0f MB) at %d/s: peak lag %d, drained in %.1f s after the stream; resident memory "
                            + "%.0f MB before, peak %.0f MB during (+%.0f MB; allowed +%.0f MB = in flight %.0f + fetch "
                            + "%.0f + decode %.0f); consumer rebalances during the run %.0f; classified %d, missing %d, "
                            + "duplicates %d%n", MAX_SIZE, IMAGES, largest / 1e6, backlogBytes / 1e6, PER_SECOND,
                    peakLag, drainSeconds, before / 1e6, peak / 1e6, (peak - before) / 1e6, margin / 1e6,
                    inFlight / 1e6, FETCH_MAX_BYTES / 1e6, DECODE_MEMORY / 1e6, rebalancesAfter - rebalancesBefore,
                    ledger.classified.size(), ledger.missing(sent), ledger.duplicates());

            assertThat(peakLag).as("the model really was slower than the stream").isGreaterThan(3L * MAX_SIZE);
            assertThat(backlogBytes).as("a backlog larger than what the service may hold").isGreaterThan(margin);
            assertThat(lag).as("lag drains once the stream stops").isZero();
            assertThat(rebalancesBefore).as("the consumer's rebalance count is exported").isNotNaN();
            assertThat(rebalancesAfter - rebalancesBefore).as("rebalances of the consumer while the backlog lasted")
                    .isZero();
            assertThat(peak - before).as("resident memory above the level before the stream").isLessThanOrEqualTo(margin);
            assertThat(ledger.missing(sent)).isZero();
            assertThat(ledger.duplicates()).isZero();
        } finally {
            stack.inference().stop();
            stack.startInference();
            stack.awaitInference();
        }
    }

    /** {@code count} different 4000x3000 photos (noisy gradients), JPEG at ImageIO's default quality. */
    private static List<byte[]> photos(int count) throws Exception {
        List<byte[]> all = new ArrayList<>();
        for (int seed = 0; seed < count; seed++) {
            int w = 4000;
            int h = 3000;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Random r = new Random(seed);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int n = r.nextInt(64);
                    row[x] = (((x * 255 / w) + n + seed * 30) & 0xff) << 16 | (((y * 255 / h) + n) & 0xff) << 8
                            | ((x + y + n) & 0xff);
                }
                img.setRGB(0, y, w, 1, row, 0, w);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", out);
            all.add(out.toByteArray());
        }
        return all;
    }

    /** The inference consumer's own count of rebalances it went through. */
    private static double rebalances(ArgusStack stack) throws Exception {
        return Metrics.sum(stack.inferenceUrl(), "kafka_consumer_coordinator_rebalance_total");
    }

    private static void awaitNoLag(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lag(admin) > 0) {
            assertThat(System.nanoTime()).as("the warm-up drains").isLessThan(deadline);
            Thread.sleep(300);
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

    /** A line of /proc/PID/status, in bytes: VmRSS (resident now) or VmHWM (peak since clear_refs). */
    private static long rssBytes(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no " + field + " for " + pid);
    }
}
