package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

/**
 * Inference crashes inside its commits while images stream in through ingest (plus undecodable
 * records straight to Kafka). The crashes are not timed by sleeps: each replica runs with the
 * fault {@code argus.inference.fault.halt-before-commit=N}, so its JVM halts on its Nth commit
 * after the outputs were sent and before the commit (inside an open transaction, or between the
 * outputs and the offsets at least once); the test restarts it each time, twice (once mid-stream,
 * once in the backlog the halt left), then stops it once with SIGTERM. Each halt is proven: exit status 86 and the replica's last line, naming how
 * many images' outputs it left uncommitted; with transactions, the broker's log also holds those
 * outputs, aborted (a read_uncommitted reader sees them, a read_committed one never does).
 *
 * <p>With {@code -Dargus.e2e.break=restart-at-least-once} the exactly-once test runs its replicas
 * without transactions, and fails.
 */
@ExtendWith(StackExtension.class)
class InferenceRestartIT {

    private static final int IMAGES = 1200;
    private static final int PER_SECOND = 100;
    /**
     * The commit each replica halts on: the first mid-stream, the next in the backlog left. (A third
     * halt, in the backlog again, repeated the second's case and cost the suite about 10 s a test.)
     */
    private static final int[] HALT_ON = {10, 2};
    private static final int HALT_STATUS = 86;
    private static final Pattern HALTED = Pattern.compile(
            "FAULT argus.inference.fault.halt-before-commit: halting on commit \\d+ \\((.*)\\) with the outputs of (\\d+) images");

    /**
     * Exactly once: every image has exactly one result or dead letter for a read_committed reader,
     * and the outputs of each halted transaction are on the log, aborted.
     */
    @Test
    void noImageIsLostOrDuplicatedWhenInferenceCrashesInsideItsTransactions(ArgusStack stack) throws Exception {
        // -Dargus.e2e.break=restart-at-least-once: the same without transactions, which must fail here.
        boolean broken = Break.is("restart-at-least-once");
        Run run;
        try {
            run = broken ? streamWhileCrashing(stack, "eos", "-Dargus.inference.exactly-once=false")
                    : streamWhileCrashing(stack, "eos");
        } finally {
            // Whatever happened, the tests after this one get a replica as the stack started it, exactly
            // once: a halted one would leave its transaction, and the group's offsets in it, open for a minute.
            stack.inference().stop();
            stack.startInference();
            stack.awaitInference();
        }

        assertThat(run.refused).isZero();
        assertThat(run.halts).as("halts, each inside an open transaction").hasSize(HALT_ON.length)
                .allMatch(h -> h.mode().startsWith("exactly once: transaction open") && h.images() > 0);
        assertThat(run.missing).as("images with neither a result nor a dead letter").isZero();
        assertThat(run.ledger.duplicates()).as("duplicates seen by a read_committed consumer").isZero();
        assertThat(run.aborted).as("outputs on the log that read_committed readers never see: the halted "
                + "transactions', aborted").isGreaterThanOrEqualTo(run.haltedImages());
        assertThat(run.ledger.deadLettered.keySet()).allMatch(id -> id.startsWith("eos-junk-"));
        assertThat(run.ledger.deadLettered).hasSize(IMAGES / 40);
    }

    /**
     * At least once ({@code exactly-once=false}): every image has a result or a dead letter; a crash
     * repeats at most the images of the one commit it interrupted (their outputs were acknowledged,
     * their offsets not committed), so the duplicates are at most the images the halted commits held.
     */
    @Test
    void withoutTransactionsNothingIsLostAndEachCrashRepeatsAtMostTheCommitItInterrupted(ArgusStack stack)
            throws Exception {
        try {
            Run run = streamWhileCrashing(stack, "alo", "-Dargus.inference.exactly-once=false");

            assertThat(run.halts).as("halts, each between the acknowledged outputs and the offsets")
                    .hasSize(HALT_ON.length).allMatch(h -> h.mode().startsWith("at least once") && h.images() > 0);
            assertThat(run.missing).as("images with neither a result nor a dead letter").isZero();
            assertThat(run.ledger.deadLettered).hasSize(IMAGES / 40);
            assertThat(run.ledger.duplicates()).as("duplicates: at most the images of the commits the crashes "
                    + "interrupted").isLessThanOrEqualTo(run.haltedImages());
        } finally {
            stack.inference().stop();
            stack.startInference();
            stack.awaitInference();
        }
    }

    private record Halt(String mode, int images) {
    }

    private record Run(Ledger ledger, int refused, int missing, List<Halt> halts, int aborted) {
        int haltedImages() {
            return halts.stream().mapToInt(Halt::images).sum();
        }
    }

    private static Run streamWhileCrashing(ArgusStack stack, String mode, String... options) throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        Random random = new Random(9);
        Path log = stack.work.resolve("inference.log");
        long linesBefore = lines(log);

        stack.inference().stop();
        startInference(stack, HALT_ON[0], options);

        Background stream = Background.start("stream", () -> {
            try (KafkaProducer<String, byte[]> camera = stack.camera()) {
                long start = System.nanoTime();
                for (int i = 0; i < IMAGES; i++) {
                    Pace.await(start, i, PER_SECOND);
                    if (i % 40 == 39) {
                        // A camera sending garbage: must end up in the DLQ, not stall anything.
                        byte[] junk = new byte[500];
                        random.nextBytes(junk);
                        junk[0] = 1;
                        String id = mode + "-junk-" + i;
                        camera.send(new RawImage(id, "junk-cam", Instant.now(), null, null, junk).toRecord(Topics.RAW)).get();
                        sent.add(id);
                        continue;
                    }
                    var answer = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", test.png(i % test.count()),
                            "restart-cam-" + (i % 5));
                    if (answer.statusCode() == 202) {
                        sent.add(io.argus.common.json.Json.mapper().readTree(answer.body()).get("imageId").asText());
                    } else {
                        refused.incrementAndGet();
                    }
                }
            }
        });

        try {
            for (int k = 0; k < HALT_ON.length; k++) {
                int status = stack.inference().awaitOwnExit(Duration.ofMinutes(2));
                assertThat(status).as("replica %d halted itself inside a commit", k + 1).isEqualTo(HALT_STATUS);
                stream.check();
                startInference(stack, k + 1 < HALT_ON.length ? HALT_ON[k + 1] : 0, options);
            }
            // And once the gentle way: SIGTERM lets the batch in flight finish and commit.
            stack.inference().stop();
            startInference(stack, 0, options);
            stream.await(Duration.ofMinutes(3));
        } finally {
            stream.stop();
        }

        Set<String> ids = new HashSet<>(sent);
        Ledger ledger = Ledger.read(stack.bootstrap(), ids, Duration.ofSeconds(120));
        int missing = ledger.missing(ids);
        List<Halt> halts = new ArrayList<>();
        try (var all = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            all.skip(linesBefore).forEach(line -> {
                Matcher m = HALTED.matcher(line);
                if (m.find()) {
                    halts.add(new Halt(m.group(1), Integer.parseInt(m.group(2))));
                }
            });
        }
        int aborted = uncommittedRecords(stack, ids) - (ledger.classified.values().stream().mapToInt(n -> n).sum()
                + ledger.deadLettered.values().stream().mapToInt(n -> n).sum());
        System.out.printf("RECONCILIATION (%s) inference halted %d times inside a commit (%s) and stopped once "
                        + "(SIGTERM) mid-stream: sent %d (refused by ingest %d), classified %d, dead-lettered %d, "
                        + "missing %d, duplicates %d (bound: the %d images the halted commits held); outputs on the "
                        + "log a read_committed reader does not see (aborted) %d%n",
                mode.equals("eos") ? "exactly once" : "at least once", halts.size(), halts, ids.size(), refused.get(),
                ledger.classified.size(), ledger.deadLettered.size(), missing, ledger.duplicates(),
                halts.stream().mapToInt(Halt::images).sum(), aborted);
        return new Run(ledger, refused.get(), missing, halts, aborted);
    }

    private static void startInference(ArgusStack stack, int haltOn, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of(options));
        if (haltOn > 0) {
            all.add("-Dargus.inference.fault.halt-before-commit=" + haltOn);
        }
        stack.startInference(all.toArray(String[]::new));
        try {
            stack.awaitInference();
        } catch (IllegalStateException exitedBeforeReady) {
            // Restarted onto a backlog, a replica can reach its halting commit before a readiness probe
            // (every 500 ms) finds it up; the caller's awaitOwnExit then checks that it was that halt.
            if (haltOn == 0 || stack.inference().isAlive()) {
                throw exitedBeforeReady;
            }
        }
    }

    /** Records of these ids on the classified topic and the DLQ, aborted ones included. */
    private static int uncommittedRecords(ArgusStack stack, Set<String> ids) {
        int count = 0;
        for (String topic : List.of(Topics.CLASSIFIED, Topics.DLQ)) {
            // Not KafkaClients' reader: that reads committed records only, and this counts the aborted ones.
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                reader.assign(partitions);
                reader.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = reader.endOffsets(partitions);
                Map<TopicPartition, Long> done = new HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (done.size() < partitions.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.key() != null && ids.contains(r.key())) {
                            count++;
                        }
                    }
                    for (TopicPartition p : partitions) {
                        if (reader.position(p) >= end.get(p)) {
                            done.put(p, end.get(p));
                        }
                    }
                }
            }
        }
        return count;
    }

    private static long lines(Path log) throws Exception {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var all = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return all.count();
        }
    }
}
