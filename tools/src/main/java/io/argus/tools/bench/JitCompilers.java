package io.argus.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time a JVM's just-in-time compilers have used, from Linux's {@code /proc/<pid>/task}:
 * the threads HotSpot names {@code C1 CompilerThread<n>} and {@code C2 CompilerThread<n>} (the
 * kernel keeps 15 characters of a thread's name). A JVM seconds old still compiles the code its
 * load reaches: measured on the bench's two cores, the service's C2 thread took 18% of the machine
 * during a half-load phase that followed a warm-up of 16,666 images, more than the classification
 * thread, and the service's CPU per image was 0.14-0.16 ms against 0.09-0.10 once the compilers
 * were done (docs/serving.md, "Warm until the compilers are quiet").
 */
final class JitCompilers {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times: 100 on every architecture the JDK runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private JitCompilers() {
    }

    /** Their CPU time so far in process {@code pid}; empty where there is no {@code /proc} or the process is gone. */
    static Optional<Duration> cpuTime(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                ticks += ticks(read(t.resolve("comm")), read(t.resolve("stat")));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
    }

    /** This JVM's compilers. */
    static Optional<Duration> ownCpuTime() {
        return cpuTime(ProcessHandle.current().pid());
    }

    /**
     * The user and system ticks of a thread given its {@code comm} and {@code stat} lines, if it is
     * a compiler thread; else 0. A thread that ended between listing and reading reads as empty.
     */
    static long ticks(String comm, String stat) {
        if (!(comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) || stat.isEmpty()) {
            return 0;
        }
        // The name in brackets may hold spaces; the fields after it are split by single spaces,
        // state first: utime and stime are fields 14 and 15 of the line, 11 and 12 after the name.
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
