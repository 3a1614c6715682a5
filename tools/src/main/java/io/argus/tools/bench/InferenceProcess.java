package io.argus.tools.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;

/**
 * inference-service as users run it: the packaged application in its own JVM, configured by
 * system properties, its log in a file. Started for one end-to-end run and stopped after it.
 */
final class InferenceProcess implements AutoCloseable {

    static final String NAME = "inference-service";

    private final Process process;
    private final int port;
    private final Path log;
    /**
     * Kills the service when the bench is stopped (SIGTERM, a timeout) before it could close it;
     * Ctrl-C in a terminal reaches both anyway. Killed, not stopped: its broker goes with the bench,
     * and without a broker the service takes about a minute to stop gracefully.
     */
    private final Thread killOnExit;

    private InferenceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + NAME);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static InferenceProcess start(Path app, List<String> jvmOptions, Map<String, String> config, Path log)
            throws IOException {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException("no inference-service application at " + app
                    + ": build it first (./argus build)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(app.toString());
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new InferenceProcess(p, port, log);
    }

    /** Waits until the service reports ready (model loaded, Kafka reachable); fails at once if it cannot be. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        awaitReady(timeout, note -> { });
    }

    /** As {@link #awaitReady(Duration)}, with a note now and then on how the wait goes. */
    void awaitReady(Duration timeout, Consumer<String> progress) throws IOException, InterruptedException {
        new StartupWatch(NAME, process, log, port, progress).await(timeout);
    }

    /** The engine line the service logged when it loaded the model (the first: a shadow candidate's comes later). */
    String loadedLine() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("Loaded ")).findFirst().orElse("")
                .replaceAll("^.* - ", "");
    }

    long pid() {
        return process.pid();
    }

    /** The CPU time the service's JVM has used so far, all its threads; empty where the OS does not say. */
    Optional<Duration> cpuTime() {
        return process.info().totalCpuDuration();
    }

    /**
     * The service's resident memory now and its peak so far, or empty without {@code /proc}. The
     * process is the service's own JVM (started as {@code java}, no shell in between), started for
     * one run: its peak is that run's, start-up and model loading included.
     */
    Optional<ProcessMemory> memory() {
        return process.isAlive() ? ProcessMemory.of(process.pid()) : Optional.empty();
    }

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
        HttpResponse<String> response = METRICS.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return oodOf(response.body());
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

    /** The sum of every series of a metric on the service's {@code /q/metrics} (0 while it has none). */
    /** One of the service's timers so far (see {@link ServiceTimer#of}). */
    ServiceTimer timer(String name) throws IOException, InterruptedException {
        return ServiceTimer.of(scrape(), name);
    }

    double total(String name) throws IOException, InterruptedException {
        return total(scrape(), name);
    }

    /** The sum of every series of the metric {@code name} in a Prometheus text exposition. */
    static double total(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = METRICS.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(NAME + " answered " + response.statusCode() + " to /q/metrics");
        }
        return response.body();
    }

    private static final HttpClient METRICS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LOOP = Pattern.compile(
            "^argus_inference_loop(_cpu)?_seconds_total\\{.*phase=\"(\\w+)\".*}\\s+(\\S+)$");

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running already: nothing left for it to stop.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
