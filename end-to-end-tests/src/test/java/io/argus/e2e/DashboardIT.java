package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;
import io.argus.common.testing.ShadowMeters;
import io.argus.common.testing.SkipRecorder;
import io.argus.common.testing.Tools;
import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.topics.Topics;

/**
 * The Grafana dashboard against a real Prometheus: Debian's {@code prometheus} binary scrapes the
 * three running services while this test sends images (some broken), records a camera produces
 * straight to Kafka (some undecodable), labels (uploads, and labels by image id, which live accuracy
 * joins to what was served), a training run and then a camera with inverted contrast (which drift per
 * sensor flags); then every query of {@code deploy/grafana/dashboards/argus.json} goes through
 * Prometheus' HTTP API and must parse and return data. A metric name the services do not export
 * fails it. The drift and live accuracy panels must also show what this traffic did to them.
 *
 * <p>No candidate runs in shadow here (it would cost the suite a training run and a window): a
 * query that reads only metrics the services export once a shadow has answered images
 * ({@link ShadowMeters#ONLY_DURING_A_SHADOW}) must parse and may return nothing. Their names are
 * checked against what the services export in their own shadow tests and {@code DashboardTest}.
 *
 * <p>An automatic rollback is not made here (it needs a damaged model and tens of labels per sensor
 * on two versions; {@code AutomaticRollbackTest} does that): its query returns the counter, at 0.
 */
@ExtendWith({StackExtension.class, SkipRecorder.class})
class DashboardIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyDashboardQueryReturnsDataFromTheRunningServices(ArgusStack stack) throws Exception {
        java.util.Optional<Path> found = Tools.find("ARGUS_PROMETHEUS", "prometheus");
        boolean required = "1".equals(System.getenv("ARGUS_REQUIRE_PROMETHEUS"));
        if (found.isEmpty()) {
            assertThat(required).as("prometheus is not on PATH (apt-get install prometheus)").isFalse();
            assumeTrue(false, "prometheus is not on PATH (nor named by ARGUS_PROMETHEUS); .ci/run installs it");
        }
        Path binary = found.get();
        try (Prometheus prometheus = Prometheus.start(binary, stack)) {
            Traffic sent = traffic(stack);
            JsonNode dashboard = Json.mapper().readTree(stack.root.resolve("deploy/grafana/dashboards/argus.json").toFile());
            // Scrapes (every second) catch up with the last events, live accuracy within its 10 s refresh:
            // waited for, no longer than the fixed 12 s this used to sleep plus a margin; then judged.
            long waited = System.nanoTime();
            long settled = waited + Duration.ofSeconds(20).toNanos();
            while (!showsTheTraffic(prometheus, dashboard, sent) && System.nanoTime() < settled) {
                Thread.sleep(1000);
            }
            waited = (System.nanoTime() - waited) / 1_000_000;

            List<String> failures = new ArrayList<>();
            int queries = 0;
            int shadowOnly = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries++;
                    String expr = target.path("expr").asText();
                    JsonNode answer = prometheus.query(instant(expr));
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add(panel.path("title").asText() + ": " + expr + " -> " + answer);
                    } else if (answer.path("data").path("result").isEmpty()) {
                        if (onlyDuringAShadow(expr)) {
                            shadowOnly++;
                        } else {
                            failures.add(panel.path("title").asText() + ": " + expr + " -> no data");
                        }
                    }
                }
            }
            System.out.printf("DASHBOARD %d queries of %d panels run through Prometheus %s, %d without data, %d more "
                    + "without data that only a shadow run gives (judged %.1f s after the traffic)%n", queries,
                    dashboard.path("panels").size(), prometheus.version(), failures.size(), shadowOnly, waited / 1e3);
            System.out.printf("DASHBOARD drift score of %s %.3f (embedding part %.3f), labels joined %.0f%n", INVERTED,
                    value(prometheus, "max(argus_drift_score{sensor=\"" + INVERTED + "\"})"),
                    value(prometheus, "max(argus_drift_embedding{sensor=\"" + INVERTED + "\"})"),
                    value(prometheus, "sum(argus_live_labels{sensor=\"(all)\"})"));
            assertThat(queries).isGreaterThan(20);
            assertThat(failures).as("dashboard queries that fail or return nothing").isEmpty();

            // What the traffic did shows in the new panels' metrics, not merely that they exist.
            assertThat(value(prometheus, "max(argus_drift_enabled)")).as("drift is on for the served model").isEqualTo(1);
            assertThat(value(prometheus, "max(argus_drift_score{sensor=\"" + INVERTED + "\"})"))
                    .as("the inverted camera's drift score").isGreaterThanOrEqualTo(0.25);
            assertThat(value(prometheus, "max(argus_drift_drifted{sensor=\"" + INVERTED + "\"})"))
                    .as("the inverted camera is flagged").isEqualTo(1);
            assertThat(value(prometheus, "min(argus_drift_embedding_enabled)")).as("the embedding part is on")
                    .isEqualTo(1);
            assertThat(value(prometheus, "max(argus_drift_embedding{sensor=\"" + INVERTED + "\"})"))
                    .as("the inverted camera's embedding part").isGreaterThanOrEqualTo(0.25);
            assertThat(value(prometheus, "sum(argus_live_labels{sensor=\"(all)\"})"))
                    .as("labels by image id joined to served results").isGreaterThanOrEqualTo(sent.labeledById());
            assertThat(value(prometheus, "sum(argus_live_labels{sensor=~\"dash-cam-[0-2]\"})"))
                    .as("the same labels, per sensor").isGreaterThanOrEqualTo(sent.labeledById());
        }
    }

    /** Whether every query returns data and the traffic's drift and labels show: what the test then asserts. */
    private static boolean showsTheTraffic(Prometheus prometheus, JsonNode dashboard, Traffic sent) throws Exception {
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                JsonNode answer = prometheus.query(instant(expr));
                if (!"success".equals(answer.path("status").asText())
                        || answer.path("data").path("result").isEmpty() && !onlyDuringAShadow(expr)) {
                    return false;
                }
            }
        }
        return single(prometheus, "max(argus_drift_enabled)") == 1
                && single(prometheus, "max(argus_drift_drifted{sensor=\"" + INVERTED + "\"})") == 1
                && single(prometheus, "max(argus_drift_embedding{sensor=\"" + INVERTED + "\"})") >= 0.25
                && single(prometheus, "sum(argus_live_labels{sensor=\"(all)\"})") >= sent.labeledById()
                && single(prometheus, "sum(argus_live_labels{sensor=~\"dash-cam-[0-2]\"})") >= sent.labeledById();
    }

    /** Whether a query reads only metrics that have no series until a candidate in shadow has answered images. */
    private static boolean onlyDuringAShadow(String expr) {
        java.util.Set<String> names = ShadowMeters.namesIn(expr);
        return !names.isEmpty() && ShadowMeters.ONLY_DURING_A_SHADOW.containsAll(names);
    }

    /** A panel's query with Grafana's interval variables filled in, as an instant query takes it. */
    private static String instant(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "15s");
    }

    /** The value of an instant query with one series, NaN while it has none (or several). */
    private static double single(Prometheus prometheus, String promql) throws Exception {
        JsonNode result = prometheus.query(promql).path("data").path("result");
        return result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText()) : Double.NaN;
    }

    /** The sensor whose images arrive with inverted contrast, after the run. */
    private static final String INVERTED = "dash-cam-inverted";

    /** How many of the traffic's labels were given by image id (live accuracy joins those). */
    private record Traffic(int labeledById) {
    }

    /**
     * Everything the dashboard shows: good and broken uploads, junk on Kafka, labels by upload and by
     * image id, a run, then a camera with inverted contrast.
     */
    private static Traffic traffic(ArgusStack stack) throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        Map<String, String> truth = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            byte[] png = images.png(700 + i);
            boolean broken = i % 20 == 19;
            HttpResponse<String> posted = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images",
                    broken ? java.util.Arrays.copyOf(png, 50) : png, "dash-cam-" + (i % 3));
            if (!broken) {
                assertThat(posted.statusCode()).as("image %d: %s", i, posted.body()).isEqualTo(202);
                truth.put(Json.mapper().readTree(posted.body()).get("imageId").asText(),
                        FashionMnist.LABELS.get(images.labels()[700 + i]));
            }
            Thread.sleep(40);
        }
        try (KafkaProducer<String, byte[]> camera = stack.camera()) {
            for (int i = 0; i < 3; i++) {
                camera.send(new RawImage("dash-junk-" + i, "dash-cam-junk", Instant.now(), null, null,
                        "not an image".getBytes(StandardCharsets.UTF_8)).toRecord(Topics.RAW)).get();
            }
        }
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> labeled = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels"))
                    .header("Authorization", "Bearer " + ArgusStack.LABELER_KEY)
                    .header("Content-Type", "multipart/form-data; boundary=b").POST(multipart(images.png(900 + i),
                            FashionMnist.LABELS.get(images.labels()[900 + i]))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(labeled.statusCode()).as("label upload %d: %s", i, labeled.body()).isEqualTo(201);
        }
        // People check 30 of the served results: live accuracy per version and sensor.
        List<String> toLabel = new ArrayList<>(truth.keySet()).subList(0, 30);
        Ledger served = Ledger.read(stack.bootstrap(), java.util.Set.copyOf(toLabel), Duration.ofSeconds(60));
        assertThat(served.classified.keySet()).as("the images to label by id were classified")
                .containsExactlyInAnyOrderElementsOf(toLabel);
        for (String imageId : toLabel) {
            HttpResponse<String> labeled = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels"))
                    .header("Authorization", "Bearer " + ArgusStack.LABELER_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                            Map.of("imageId", imageId, "label", truth.get(imageId))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(labeled.statusCode()).as("label of %s: %s", imageId, labeled.body()).isEqualTo(201);
        }
        // The stack is settled (no run going, no one else's labels), so this run is the test's own.
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl()
                        + "/api/training-runs")).POST(HttpRequest.BodyPublishers.ofString("{\"maxEpochs\":2,\"minSteps\":0}"))
                .header("Authorization", "Bearer " + ArgusStack.ADMIN_KEY)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as("the run this test starts: %s", started.body()).isEqualTo(202);
        String id = Json.mapper().readTree(started.body()).get("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String phase = "";
        while (System.nanoTime() < deadline) {
            phase = Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl()
                    + "/api/training-runs/" + id)).header("X-Api-Key", ArgusStack.LABELER_KEY).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("phase").asText();
            if (TrainerState.FINISHED.contains(phase)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(phase).as("the test's run %s", id).isEqualTo("DONE");

        // After the run, once inference serves its outcome (a swap starts every drift window afresh):
        // a camera with inverted contrast, past the window of 200 images drift per sensor judges.
        long swapped = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gauge(stack.inferenceUrl(), "argus_model_version") != gauge(stack.trainerUrl(),
                "argus_model_champion_version")) {
            assertThat(System.nanoTime()).as("inference serves the champion").isLessThan(swapped);
            Thread.sleep(500);
        }
        java.util.Set<String> inverted = new java.util.HashSet<>();
        for (int i = 0; i < 220; i++) {
            HttpResponse<String> posted = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images",
                    SimulatedCameras.png(SimulatedCameras.invert(images.image(300 + i))), INVERTED);
            assertThat(posted.statusCode()).as("inverted image %d: %s", i, posted.body()).isEqualTo(202);
            inverted.add(Json.mapper().readTree(posted.body()).get("imageId").asText());
            Thread.sleep(20);
        }
        assertThat(Ledger.read(stack.bootstrap(), inverted, Duration.ofSeconds(90)).missing(inverted))
                .as("inverted images not classified yet").isZero();
        return new Traffic(toLabel.size());
    }

    /** A gauge without tags, as a service exports it. */
    private static double gauge(String service, String name) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(service + " exports no " + name));
    }

    /** The single value of an instant query (it must have exactly one series). */
    private static double value(Prometheus prometheus, String promql) throws Exception {
        JsonNode result = prometheus.query(promql).path("data").path("result");
        assertThat(result.size()).as("series of %s: %s", promql, result).isEqualTo(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static HttpRequest.BodyPublisher multipart(byte[] png, String label) {
        byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n" + label
                + "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofByteArrays(List.of(head, png, tail));
    }

    /** A Prometheus server of its own, bound to 127.0.0.1, scraping the stack every second. */
    private static final class Prometheus implements AutoCloseable {
        private final ServiceProcess process;
        private final int port;

        private Prometheus(ServiceProcess process, int port) {
            this.process = process;
            this.port = port;
        }

        static Prometheus start(Path binary, ArgusStack stack) throws Exception {
            Path dir = Files.createTempDirectory(stack.work, "prometheus-");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: argus-ingest
                        metrics_path: /q/metrics
                        static_configs: [{targets: ["127.0.0.1:%d"], labels: {service: ingest}}]
                      - job_name: argus-inference
                        metrics_path: /q/metrics
                        static_configs: [{targets: ["127.0.0.1:%d"], labels: {service: inference}}]
                      - job_name: argus-trainer
                        metrics_path: /q/metrics
                        static_configs: [{targets: ["127.0.0.1:%d"], labels: {service: trainer}}]
                    """.formatted(stack.ingestPort, stack.inferencePort, stack.trainerPort));
            int port;
            try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            ServiceProcess p = ServiceProcess.exec("prometheus", dir.resolve("prometheus.log"), binary.toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h");
            Prometheus prometheus = new Prometheus(p, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return prometheus;
                    }
                } catch (java.io.IOException notYet) {
                    // starting
                }
                Thread.sleep(300);
            }
            throw new IllegalStateException("prometheus did not start:\n" + p.logTail());
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String version() throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/status/buildinfo"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(r.body()).path("data").path("version").asText("?");
        }

        JsonNode query(String promql) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(r.body());
        }

        @Override
        public void close() throws Exception {
            process.stop();
        }
    }
}
