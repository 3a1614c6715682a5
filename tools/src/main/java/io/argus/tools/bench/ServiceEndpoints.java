package io.argus.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;

/**
 * What a running service says about itself over HTTP, as the bench reads it: its metrics on
 * {@code /q/metrics} and its readiness checks on {@code /q/health/ready}.
 *
 * @param service the service's name, for messages
 * @param port    its HTTP port on this machine
 */
record ServiceEndpoints(String service, int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LOOP = Pattern.compile(
            "^argus_inference_loop(_cpu)?_seconds_total\\{.*phase=\"(\\w+)\".*}\\s+(\\S+)$");

    /**
     * The classification thread's time and CPU time so far, by phase, in seconds: one scrape of
     * {@code argus_inference_loop_seconds_total{phase}} and {@code argus_inference_loop_cpu_seconds_total{phase}}
     * on the service's {@code /q/metrics}.
     */
    LoopSeconds loopSeconds() throws IOException, InterruptedException {
        Map<String, Double> wall = new HashMap<>();
        Map<String, Double> cpu = new HashMap<>();
        scrape().lines().map(LOOP::matcher).filter(Matcher::matches)
                .forEach(m -> (m.group(1) == null ? wall : cpu).put(m.group(2), Double.parseDouble(m.group(3))));
        return new LoopSeconds(wall, cpu);
    }

    /** The classification thread's seconds by phase: on the clock, and on the CPU. */
    record LoopSeconds(Map<String, Double> wall, Map<String, Double> cpu) {

        /** CPU time spent outside the forward pass: decoding its share, results, polls, commits; zero if not reported. */
        Duration cpuOutsideModel() {
            double s = cpu.entrySet().stream().filter(e -> !e.getKey().equals("model"))
                    .mapToDouble(Map.Entry::getValue).sum();
            return Duration.ofNanos(Math.round(s * 1e9));
        }
    }

    /**
     * Whether the served model scores images for being unlike its training data, as its readiness
     * check says: {@code on (threshold X)} or {@code off: why}; empty when the check does not say.
     */
    Optional<String> ood() throws IOException, InterruptedException {
        return oodOf(readiness().body());
    }

    /** One readiness probe: 200 when ready, 503 while not yet; an IOException while nothing listens. */
    HttpResponse<String> readiness() throws IOException, InterruptedException {
        return get("/q/health/ready", Duration.ofSeconds(5));
    }

    /** The {@code ood} of the {@code model} check in a health answer's JSON. */
    static Optional<String> oodOf(String health) throws IOException {
        for (JsonNode check : Json.mapper().readTree(health).path("checks")) {
            if (check.path("name").asText().equals("model") && check.path("data").has("ood")) {
                return Optional.of(check.path("data").path("ood").asText());
            }
        }
        return Optional.empty();
    }

    /** One of the service's timers so far (see {@link ServiceTimer#of}). */
    ServiceTimer timer(String name) throws IOException, InterruptedException {
        return ServiceTimer.of(scrape(), name);
    }

    /** The sum of every series of a metric on the service's {@code /q/metrics} (0 while it has none). */
    double total(String name) throws IOException, InterruptedException {
        return total(scrape(), name);
    }

    /** The sum of every series of the metric {@code name} in a Prometheus text exposition. */
    static double total(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/q/metrics", Duration.ofSeconds(10));
        if (response.statusCode() != 200) {
            throw new IOException(service + " answered " + response.statusCode() + " to /q/metrics");
        }
        return response.body();
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
