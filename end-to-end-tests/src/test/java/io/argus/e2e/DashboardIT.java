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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;
import io.argus.common.testing.SkipRecorder;
import io.argus.common.testing.Tools;
import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

/**
 * The Grafana dashboard against a real Prometheus: Debian's {@code prometheus} binary scrapes the
 * three running services while this test sends images (some broken), records a camera produces
 * straight to Kafka (some undecodable), labels and a training run; then every query of
 * {@code deploy/grafana/dashboards/argus.json} goes through Prometheus' HTTP API and must parse
 * and return data. A metric name the services do not export fails it.
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
            traffic(stack);
            Thread.sleep(8000); // a few scrapes after the last events

            JsonNode dashboard = Json.mapper().readTree(stack.root.resolve("deploy/grafana/dashboards/argus.json").toFile());
            List<String> failures = new ArrayList<>();
            int queries = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries++;
                    String expr = target.path("expr").asText();
                    JsonNode answer = prometheus.query(expr.replace("$__rate_interval", "1m").replace("$__range", "1h")
                            .replace("$__interval", "15s"));
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add(panel.path("title").asText() + ": " + expr + " -> " + answer);
                    } else if (answer.path("data").path("result").isEmpty()) {
                        failures.add(panel.path("title").asText() + ": " + expr + " -> no data");
                    }
                }
            }
            System.out.printf("DASHBOARD %d queries of %d panels run through Prometheus %s, %d without data%n", queries,
                    dashboard.path("panels").size(), prometheus.version(), failures.size());
            assertThat(queries).isGreaterThan(20);
            assertThat(failures).as("dashboard queries that fail or return nothing").isEmpty();
        }
    }

    /** Everything the dashboard shows: good and broken uploads, junk on Kafka, labels and a run. */
    private static void traffic(ArgusStack stack) throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        for (int i = 0; i < 120; i++) {
            byte[] png = images.png(700 + i);
            StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", i % 20 == 19 ? java.util.Arrays.copyOf(png, 50) : png,
                    "dash-cam-" + (i % 3));
            Thread.sleep(40);
        }
        try (KafkaProducer<String, byte[]> camera = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrap()),
                new StringSerializer(), new ByteArraySerializer())) {
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
