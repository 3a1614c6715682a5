package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

/**
 * A zombie: of two inference replicas sharing the stream, one freezes (SIGSTOP, as in a long GC
 * pause or a stalled VM) in the middle of a batch, for longer than its session timeout. The group
 * gives its partitions to the other replica, which classifies the same images again. Then the frozen
 * one resumes (SIGCONT), unaware, and tries to commit the batch it was holding: it must be fenced
 * (its commit refused, counted in its commit-failure metric) and no image may have two results.
 *
 * <p>With {@code -Dargus.e2e.break=zombie-at-least-once} both replicas run at least once
 * ({@code exactly-once=false}), where nothing fences the zombie's outputs, and the test fails.
 */
@ExtendWith(StackExtension.class)
class ZombieReplicaIT {

    private static final int IMAGES = 600;
    private static final int PER_SECOND = 50;
    private static final String SESSION = "-Dargus.inference.session-timeout=6s";

    @Test
    void aReplicaFrozenPastItsSessionTimeoutIsFencedWhenItResumesAndNoImageHasTwoResults(ArgusStack stack)
            throws Exception {
        boolean broken = Break.is("zombie-at-least-once");
        String mode = "-Dargus.inference.exactly-once=" + !broken;
        stack.inference().stop();
        // The zombie-to-be spends most of its time inside batches, so the freeze lands in one.
        ServiceProcess zombie = stack.startInference(SESSION, mode, "-Dargus.inference.fault-batch-delay=1500ms");
        ArgusStack.Replica other = stack.startReplica("e2e-other", SESSION, mode);
        try {
            stack.awaitInference();
            other.process().awaitReady(other.port(), Duration.ofMinutes(3));
            // The stream is shared: each replica owns some of the four partitions.
            awaitPartitions(stack.work.resolve("inference.log"), 1, 3, Duration.ofSeconds(60));
            awaitPartitions(other.log(), 1, 3, Duration.ofSeconds(60));

            LabeledImages test = FashionMnist.loadSubset().test();
            Set<String> ids = new HashSet<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            Background stream = Background.start("stream", () -> {
                try (KafkaProducer<String, byte[]> cameras = stack.camera()) {
                    long start = System.nanoTime();
                    for (int i = 0; i < IMAGES; i++) {
                        Pace.await(start, i, PER_SECOND);
                        String id = "zombie-" + i;
                        synchronized (ids) {
                            ids.add(id);
                        }
                        sent.add(cameras.send(new RawImage(id, "zombie-cam-" + (i % 16), Instant.now(), "image/png",
                                null, test.png(i % test.count())).toRecord(Topics.RAW)));
                    }
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                }
            });

            Thread.sleep(4000);
            double failuresBefore = commitFailures(stack.inferenceUrl());
            zombie.pause();
            long frozenAt = System.nanoTime();
            // Past the 6 s session timeout the group gives everything to the other replica.
            awaitPartitions(other.log(), 4, 4, Duration.ofSeconds(60));
            Thread.sleep(Math.max(0, 12_000 - (System.nanoTime() - frozenAt) / 1_000_000));
            double frozenSeconds = (System.nanoTime() - frozenAt) / 1e9;
            zombie.resume();

            // The zombie's commit of the batch it held is refused.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            double failuresAfter = commitFailures(stack.inferenceUrl());
            while (!(failuresAfter > failuresBefore) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                failuresAfter = commitFailures(stack.inferenceUrl());
            }
            stream.await(Duration.ofMinutes(2));

            Ledger ledger = Ledger.read(stack.bootstrap(), ids, Duration.ofSeconds(120));
            System.out.printf("ZOMBIE (%s) one of two replicas frozen (SIGSTOP) for %.1f s, past its 6 s session timeout, "
                            + "then resumed: commits refused on resuming %.0f (%s), sent %d, classified %d, missing %d, "
                            + "duplicates %d%n", broken ? "at least once" : "exactly once", frozenSeconds,
                    failuresAfter - failuresBefore, lastFailure(stack.work.resolve("inference.log")), ids.size(),
                    ledger.classified.size(), ledger.missing(ids), ledger.duplicates());

            assertThat(ledger.missing(ids)).isZero();
            assertThat(ledger.duplicates()).as("results beyond one per image, read_committed").isZero();
            assertThat(failuresAfter - failuresBefore).as("the resumed replica's commit was refused (fenced)")
                    .isPositive();
        } finally {
            other.process().stop();
            if (zombie.isAlive()) {
                zombie.resume();
            }
            zombie.stop();
            stack.startInference();
            stack.awaitInference();
        }
    }

    /** Failed commits, all causes, of the replica at {@code url}; 0 before any. */
    private static double commitFailures(String url) throws Exception {
        double sum = Metrics.sum(url, "argus_inference_commit_failures_total");
        return Double.isNaN(sum) ? 0 : sum;
    }

    /** Waits until the replica's latest assignment holds between {@code min} and {@code max} raw partitions. */
    private static void awaitPartitions(Path log, int min, int max, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int owned = -1;
        while (System.nanoTime() < deadline) {
            owned = -1;
            for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                if (line.contains("Classifying partitions")) {
                    owned = line.split(Topics.RAW + "-", -1).length - 1;
                }
            }
            if (owned >= min && owned <= max) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the replica logging to " + log + " owns " + owned + " partitions, not " + min + ".."
                + max);
    }

    private static String lastFailure(Path log) throws Exception {
        String last = "none logged";
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            if (line.contains("ommit") && (line.contains("WARN") || line.contains("ERROR"))) {
                last = line.length() > 300 ? line.substring(0, 300) + "..." : line;
            }
        }
        return last;
    }
}
