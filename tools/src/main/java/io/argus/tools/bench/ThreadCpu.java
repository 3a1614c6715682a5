package io.argus.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process's CPU time by kind of thread, from Linux's {@code /proc/<pid>/task}: each thread's
 * name ({@code comm}, of which the kernel keeps 15 characters) says its kind. ONNX Runtime's own
 * threads take the name of the thread that made the session, so they are not told apart by name:
 * they count as {@link Kind#OTHER}, with the classification thread.
 */
final class ThreadCpu {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times: 100 on every architecture the JDK runs on. */
    private static final long TICKS_PER_SECOND = 100;

    enum Kind {
        /** HotSpot's just-in-time compilers ({@code C1 CompilerThread<n>}, {@code C2 CompilerThread<n>}). */
        COMPILERS,
        /** The garbage collector's threads and the VM thread that runs its pauses. */
        COLLECTOR,
        /** inference-service's decode threads ({@code argus-decode}). */
        DECODE,
        /** Kafka's client threads and inference-service's commit thread. */
        KAFKA,
        /** Everything else: the classification thread, ONNX Runtime's threads, the HTTP server. */
        OTHER
    }

    private ThreadCpu() {
    }

    static Kind kindOf(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return Kind.COMPILERS;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return Kind.COLLECTOR;
        }
        if (comm.startsWith("argus-decode")) {
            return Kind.DECODE;
        }
        if (comm.startsWith("kafka-") || comm.startsWith("argus-commit")) {
            return Kind.KAFKA;
        }
        return Kind.OTHER;
    }

    /** CPU time so far by kind in process {@code pid}; empty where there is no {@code /proc} or the process is gone. */
    static Optional<Map<Kind, Duration>> of(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        Map<Kind, Long> ticks = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            ticks.put(k, 0L);
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                String stat = read(t.resolve("stat"));
                if (!stat.isEmpty()) {
                    ticks.merge(kindOf(read(t.resolve("comm"))), ticks(stat), Long::sum);
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Kind, Duration> out = new EnumMap<>(Kind.class);
        ticks.forEach((k, v) -> out.put(k, Duration.ofMillis(v * 1000 / TICKS_PER_SECOND)));
        return Optional.of(out);
    }

    /** The user and system ticks of a thread's {@code stat} line. */
    static long ticks(String stat) {
        // The name in brackets may hold spaces; the fields after it are split by single spaces,
        // state first: utime and stime are fields 14 and 15 of the line, 11 and 12 after the name.
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    /** A thread that ended between listing and reading reads as empty. */
    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
