package io.argus.tools.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Waits for a started service to be ready while watching for the signs that it never will be: the
 * process exited, its log says Quarkus failed to start it, or it answers readiness probes with
 * server errors (up, but broken: a 503 is only "not ready yet"). Any of these ends the wait at
 * once with the end of the log, where the reason is, instead of after the whole timeout.
 */
final class StartupWatch {

    /** What Quarkus logs when the application cannot start; the JVM may take a while to go after it. */
    static final String QUARKUS_FAILED = "Failed to start application";
    /** Server errors in a row that mean broken rather than busy. */
    static final int SERVER_ERRORS = 5;
    static final int TAIL_LINES = 30;
    private static final Duration NOTE_EVERY = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final ServiceEndpoints endpoints;
    private final Consumer<String> progress;
    private long logRead;
    private String logCarry = "";

    StartupWatch(Process process, Path log, ServiceEndpoints endpoints, Consumer<String> progress) {
        this.process = process;
        this.log = log;
        this.endpoints = endpoints;
        this.progress = progress;
    }

    void await(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextNote = start + NOTE_EVERY.toNanos();
        int serverErrors = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failed("exited with " + process.exitValue() + " while starting");
            }
            if (logSaysFailed()) {
                throw failed("failed to start (its log says '" + QUARKUS_FAILED + "')");
            }
            try {
                HttpResponse<String> answer = endpoints.readiness();
                if (answer.statusCode() == 200) {
                    return;
                }
                serverErrors = answer.statusCode() >= 500 && answer.statusCode() != 503 ? serverErrors + 1 : 0;
                if (serverErrors >= SERVER_ERRORS) {
                    throw failed("answered " + answer.statusCode() + " to " + serverErrors
                            + " readiness probes in a row (" + firstLine(answer.body()) + ")");
                }
            } catch (IOException notListeningYet) {
                serverErrors = 0;
            }
            if (System.nanoTime() > nextNote) {
                progress.accept(String.format(Locale.ROOT, "%s not ready after %d s; its log: %s", endpoints.service(),
                        (System.nanoTime() - start) / 1_000_000_000L, LogTail.lastLine(log)));
                nextNote += NOTE_EVERY.toNanos();
            }
            Thread.sleep(500);
        }
        throw failed("was not ready within " + timeout.toSeconds() + " s");
    }

    private IllegalStateException failed(String what) {
        return new IllegalStateException(endpoints.service() + " " + what + "; the last lines of its log (" + log + "):\n"
                + LogTail.of(log, TAIL_LINES));
    }

    /** Reads only what was logged since the last look, so a log that grows fast costs nothing twice. */
    private boolean logSaysFailed() throws IOException {
        if (!log.toFile().exists()) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            if (file.length() <= logRead) {
                return false;
            }
            byte[] bytes = new byte[(int) Math.min(file.length() - logRead, 1 << 20)];
            file.seek(logRead);
            file.readFully(bytes);
            logRead += bytes.length;
            String text = logCarry + new String(bytes, StandardCharsets.UTF_8);
            // Keep a marker's length of the end in case the marker was still being written.
            logCarry = text.substring(Math.max(0, text.length() - QUARKUS_FAILED.length()));
            return text.contains(QUARKUS_FAILED);
        }
    }

    private static String firstLine(String body) {
        String line = body.strip().lines().findFirst().orElse("no body");
        return line.length() > 300 ? line.substring(0, 300) + " ..." : line;
    }
}
