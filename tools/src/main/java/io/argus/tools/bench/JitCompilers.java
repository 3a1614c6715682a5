package io.argus.tools.bench;

import java.time.Duration;
import java.util.Optional;

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

    private JitCompilers() {
    }

    /** Their CPU time so far in process {@code pid}; empty where there is no {@code /proc} or the process is gone. */
    static Optional<Duration> cpuTime(long pid) {
        return ThreadCpu.of(pid).map(kinds -> kinds.get(ThreadCpu.Kind.COMPILERS));
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
        return ThreadCpu.kindOf(comm) == ThreadCpu.Kind.COMPILERS && !stat.isEmpty() ? ThreadCpu.ticks(stat) : 0;
    }
}
