package io.argus.tools.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * inference-service as users run it: the packaged application in its own JVM, configured by
 * system properties, its log in a file. Started for one end-to-end run and stopped after it.
 *
 * @param process    the service's JVM
 * @param log        where its output goes
 * @param endpoints  what it says over HTTP: metrics and readiness
 * @param killOnExit kills the service when the bench is stopped (SIGTERM, a timeout) before it could
 *                   close it; Ctrl-C in a terminal reaches both anyway. Killed, not stopped: its broker
 *                   goes with the bench, and without a broker the service takes about a minute to stop
 *                   gracefully.
 */
record InferenceProcess(Process process, Path log, ServiceEndpoints endpoints, Thread killOnExit)
        implements AutoCloseable {

    static final String NAME = "inference-service";

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
        Thread killOnExit = new Thread(p::destroyForcibly, "kill-" + NAME);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        return new InferenceProcess(p, log, new ServiceEndpoints(NAME, port), killOnExit);
    }

    /** Waits until the service reports ready (model loaded, Kafka reachable); fails at once if it cannot be. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        awaitReady(timeout, note -> { });
    }

    /** As {@link #awaitReady(Duration)}, with a note now and then on how the wait goes. */
    void awaitReady(Duration timeout, Consumer<String> progress) throws IOException, InterruptedException {
        new StartupWatch(process, log, endpoints, progress).await(timeout);
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
