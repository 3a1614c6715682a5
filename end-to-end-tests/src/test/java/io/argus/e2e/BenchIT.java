package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;

/**
 * {@code ./argus bench} as a user runs it, cut down to seconds so it cannot rot unnoticed: the
 * tools jar's bench command with the project's CNN on 28x28 PNGs, end to end through a temporary
 * broker and the packaged inference-service (access control on, as the bench starts it). It must
 * finish, print its tables and write its JSON with an end-to-end figure and the service's memory.
 */
class BenchIT {

    /** The run takes well under a minute here; the bench's own readiness timeout is five. */
    private static final Duration BENCH_WITHIN = Duration.ofMinutes(3);

    @Test
    void aShortBenchRunsEndToEndThroughTheBrokerAndThePackagedInferenceServiceAndReportsIt() throws Exception {
        Path root = Path.of(System.getProperty("argus.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("end-to-end-tests/target/e2e-bench"));
        Path tools = root.resolve("tools/target/argus-tools.jar");
        Path inferenceApp = root.resolve("inference-service/target/quarkus-app/quarkus-run.jar");
        assertThat(inferenceApp).as("packaged inference-service (./mvnw verify packages it first)").isRegularFile();
        Path store = Files.createTempDirectory(work, "models-");
        Path out = Files.createTempDirectory(work, "out-");

        // The bench reads the project's CNN from a model store; a few batches of training make one.
        Path pretrainLog = work.resolve("pretrain.log");
        Files.deleteIfExists(pretrainLog);
        try (ServiceProcess pretrain = ServiceProcess.start("pretrain", tools, pretrainLog, List.of("-Xmx1g"),
                "pretrain", "--epochs", "1", "--limit", "64", "--store", store.toString())) {
            assertThat(pretrain.awaitExit(Duration.ofMinutes(2))).as("pretrain:\n%s", pretrain.logTail()).isZero();
        }

        Path log = work.resolve("bench.log");
        Files.deleteIfExists(log);
        long start = System.nanoTime();
        try (ServiceProcess bench = ServiceProcess.start("bench", tools, log, List.of("-Xmx1g"), "bench",
                "--models", "fashion-cnn", "--engines", "onnx", "--batches", "8", "--seconds", "0.2",
                "--e2e", "fashion-cnn:png", "--e2e-batch", "8", "--batch-wait", "10",
                "--saturation-seconds", "0.05", "--half-load-seconds", "0.5", "--warm-up-seconds", "0",
                "--store", store.toString(), "--inference-app", inferenceApp.toString(),
                "--inference-jvm", "-Xmx384m -Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=2g",
                "--out", out.toString())) {
            assertThat(bench.awaitExit(BENCH_WITHIN)).as("bench:\n%s", bench.logTail()).isZero();
        }
        System.out.printf("bench took %.0f s%n", (System.nanoTime() - start) / 1e9);

        String printed = Files.readString(log);
        assertThat(printed).contains("Model only", "Decode + preprocess", "End to end (raw topic");
        // One row in each end-to-end table: the run, its broker-alone bound, its breakdown, its CPU.
        assertThat(printed.lines().filter(l -> l.startsWith("fashion-cnn") && l.contains(" png "))).hasSize(4);
        assertThat(rowAfter(printed, "saturation img/s  model-only")).matches("fashion-cnn\\s+png\\s+onnx\\s.*");

        Path json;
        try (Stream<Path> files = Files.list(out)) {
            json = files.filter(p -> p.getFileName().toString().matches("bench-.*\\.json")).findFirst().orElseThrow();
        }
        assertThat(printed).contains("JSON: " + json.toAbsolutePath());
        JsonNode report = Json.mapper().readTree(json.toFile());
        JsonNode endToEnd = report.get("endToEnd");
        assertThat(endToEnd).hasSize(1);
        JsonNode run = endToEnd.get(0);
        assertThat(run.get("what").get("model").asText()).isEqualTo("fashion-cnn");
        assertThat(run.get("saturation").get("imagesPerSecond").asDouble()).isPositive();
        assertThat(run.get("halfLoad").get("imagesPerSecond").asDouble()).isPositive();
        assertThat(run.get("halfLoad").get("latency").get("p50Ms").asDouble()).isPositive();
        // The ratio is taken against the model alone measured right before and right after the run, the
        // higher of the two: one reading taken while the machine was busy would flatter it.
        JsonNode check = report.get("endToEndChecks").get(0);
        double before = check.get("modelOnly").get("before").asDouble();
        double after = check.get("modelOnly").get("after").asDouble();
        assertThat(before).as("model-only before the run").isPositive();
        assertThat(after).as("model-only after the run").isPositive();
        assertThat(check.get("modelOnly").get("imagesPerSecond").asDouble()).isEqualTo(Math.max(before, after));
        assertThat(check.get("ratio").asDouble()).isCloseTo(
                run.get("saturation").get("imagesPerSecond").asDouble() / Math.max(before, after), within(1e-9));
        assertThat(rowAfter(printed, "before / after")).matches(String.format(Locale.ROOT,
                "fashion-cnn\\s+png\\s+onnx\\s+8\\s+[\\d.]+\\s+[\\d.]+\\s+%.1f / %.1f\\s.*", before, after));

        // The CPU bound: model-only times the share of the machine that the classification thread outside the
        // forward pass, the service's decode threads, Kafka clients, compilers and collector and the bench's own
        // JVM left the forward pass, worked out here from the raw CPU seconds in the JSON.
        assertThat(printed).contains("Where the CPU goes at saturation", "left for the model", "CPU bound img/s");
        JsonNode cpu = run.get("saturation").get("cpu");
        double capacity = cpu.get("capacitySeconds").asDouble();
        JsonNode service = cpu.get("serviceSeconds");
        assertThat(capacity).isPositive();
        assertThat(service.get("OTHER").asDouble()).as("classification thread and ONNX Runtime").isPositive();
        assertThat(cpu.get("benchSeconds").asDouble()).as("the bench's broker, load generator and reader").isPositive();
        double outside = cpu.get("classificationOutsideSeconds").asDouble();
        assertThat(outside).as("the classification thread outside the forward pass: decoding its share, polls")
                .isPositive().isLessThan(service.get("OTHER").asDouble());
        double others = cpu.get("benchSeconds").asDouble() + outside;
        for (String kind : List.of("DECODE", "KAFKA", "COMPILERS", "COLLECTOR")) {
            others += service.get(kind).asDouble();
        }
        double cpuBound = check.get("modelOnly").get("imagesPerSecond").asDouble() * (1 - others / capacity);
        assertThat(check.get("cpuBoundImagesPerSecond").asDouble()).isCloseTo(cpuBound, within(1e-6 * cpuBound));
        String[] cpuRow = rowAfter(printed, "CPU bound img/s").split("\\s+");
        assertThat(cpuRow).hasSize(14);
        assertThat(Double.parseDouble(cpuRow[3].replace("%", ""))).as("outside the forward pass, printed")
                .isCloseTo(100 * outside / capacity, within(0.051));
        assertThat(Double.parseDouble(cpuRow[10].replace("%", ""))).as("left for the model, printed")
                .isCloseTo(100 * (1 - others / capacity), within(0.051));
        assertThat(Double.parseDouble(cpuRow[11])).as("CPU bound, printed").isCloseTo(cpuBound, within(0.051));
        assertThat(Double.parseDouble(cpuRow[13].replace("%", ""))).as("share of the CPU bound, printed")
                .isCloseTo(100 * run.get("saturation").get("imagesPerSecond").asDouble() / cpuBound, within(0.51));

        // The bound: what the broker alone sustains for these records, and the share of it reached.
        assertThat(printed).contains("End to end against the broker-alone bound", "broker-alone rec/s",
                "share of bound");
        JsonNode bound = run.get("brokerBound");
        assertThat(bound.get("recordsPerSecond").asDouble()).isPositive();
        assertThat(bound.get("resultBytes").asInt()).isGreaterThan(100);
        String boundRow = rowAfter(printed, "broker-alone rec/s");
        assertThat(boundRow).matches("fashion-cnn\\s+png\\s+\\d+\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+\\d+%");

        // Where the time per image went: decode, model, Kafka, waiting and the rest, adding up to the
        // wall time the bench measured over the same interval (the parts, not the printed sum, are added).
        String header = printed.lines().filter(l -> l.startsWith("model") && l.contains("kafka commit"))
                .findFirst().orElseThrow(() -> new AssertionError("no breakdown table in:\n" + printed));
        assertThat(header.split("\\s{2,}")).containsExactly("model", "images", "decode", "model", "kafka consume",
                "kafka commit", "waiting", "results", "other", "sum", "wall", "sum/wall");
        String[] cells = rowAfter(printed, "kafka commit").split("\\s+");
        assertThat(cells).hasSize(12);
        double parts = 0;
        for (int i = 2; i <= 8; i++) {
            parts += Double.parseDouble(cells[i]);
        }
        double wall = Double.parseDouble(cells[10]);
        assertThat(Double.parseDouble(cells[3])).as("model ms/image").isPositive();
        assertThat(Double.parseDouble(cells[5])).as("kafka commit ms/image").isPositive();
        // The service books a step when it ends, so each of the bench's two reads of its counters can
        // miss the step under way: at most a batch or a commit (its interval is 100 ms; the
        // transaction on two busy cores adds to it), so up to 150 ms per read. On this short run that
        // can be more than 5% of the wall time; a step left out of the breakdown is more than both.
        JsonNode interval = run.get("saturation").get("breakdown");
        double unbookedMsPerImage = 2 * 150.0 / interval.get("images").asInt();
        assertThat(parts).as("decode + model + kafka + waiting + results + other against wall, ms per image: %s "
                        + "(%d images over %.2f s)", String.join(" ", cells), interval.get("images").asInt(),
                interval.get("wallSeconds").asDouble())
                .isCloseTo(wall, within(Math.max(0.05 * wall, unbookedMsPerImage)));

        // The service's resident memory, from /proc: a JVM with Quarkus and ONNX Runtime is well over 64 MiB.
        assertThat(printed).contains("RSS ready MiB", "peak RSS MiB");
        long ready = run.get("memory").get("atReady").get("rssBytes").asLong();
        assertThat(ready).isGreaterThan(64L << 20);
        assertThat(run.get("memory").get("atEnd").get("peakRssBytes").asLong()).isGreaterThanOrEqualTo(ready);
    }

    /** The first row of the table whose header line contains {@code headerPart}. */
    private static String rowAfter(String printed, String headerPart) {
        List<String> lines = printed.lines().toList();
        for (int i = 0; i < lines.size() - 2; i++) {
            if (lines.get(i).startsWith("model") && lines.get(i).contains(headerPart)) {
                return lines.get(i + 2).trim(); // after the rule under the header
            }
        }
        throw new AssertionError("no table with " + headerPart + " in:\n" + printed);
    }
}
