package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the machine's CPU went over an interval, as shares of its capacity (cores x wall time):
 * inference-service's threads by kind, the bench's own JVM (the broker, the load generator and the
 * reader, which share the service's cores on one machine) and what stayed idle.
 *
 * <p>The model alone keeps every core busy, so end to end the forward pass can have at most what
 * the rest of the work leaves it: the <em>CPU bound</em> is model-only times that share. The
 * classification thread and ONNX Runtime's threads are not told apart ({@link ThreadCpu}), so all of
 * their time counts as the forward pass's, which makes the bound higher, never lower, than it is.
 *
 * @param serviceSeconds CPU seconds of inference-service's threads, by kind
 * @param benchSeconds   CPU seconds of the bench's own JVM
 * @param idleShare      the machine's idle share (all processes), from {@code /proc/stat}
 */
record CpuShares(double capacitySeconds, Map<ThreadCpu.Kind, Double> serviceSeconds, double benchSeconds,
                 double idleShare) {

    /** The counters at one moment. */
    record Snapshot(long nanos, Map<ThreadCpu.Kind, Duration> service, Duration bench, long idleTicks,
                    long totalTicks) {

        /** Now, for the service's process; empty where {@code /proc} or the process's CPU time cannot be read. */
        static Optional<Snapshot> take(long servicePid) {
            Optional<Map<ThreadCpu.Kind, Duration>> service = ThreadCpu.of(servicePid);
            Optional<Duration> bench = ProcessHandle.current().info().totalCpuDuration();
            Optional<long[]> machine = machine();
            if (service.isEmpty() || bench.isEmpty() || machine.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(System.nanoTime(), service.get(), bench.get(), machine.get()[0],
                    machine.get()[1]));
        }

        /** Idle (idle + iowait) and total ticks of all cores, from the first line of {@code /proc/stat}. */
        private static Optional<long[]> machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                return Optional.of(new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), total});
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** The interval between two snapshots on a machine of {@code cores}; empty if either is. */
    static Optional<CpuShares> between(Optional<Snapshot> before, Optional<Snapshot> after, int cores) {
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        Snapshot a = before.get();
        Snapshot b = after.get();
        Map<ThreadCpu.Kind, Double> service = new EnumMap<>(ThreadCpu.Kind.class);
        for (ThreadCpu.Kind k : ThreadCpu.Kind.values()) {
            service.put(k, seconds(b.service().get(k).minus(a.service().get(k))));
        }
        long total = b.totalTicks() - a.totalTicks();
        double idle = total > 0 ? (double) (b.idleTicks() - a.idleTicks()) / total : 0;
        return Optional.of(new CpuShares(cores * (b.nanos() - a.nanos()) / 1e9, service,
                seconds(b.bench().minus(a.bench())), idle));
    }

    /** A kind of the service's threads, as a share of the machine. */
    double service(ThreadCpu.Kind kind) {
        return serviceSeconds.get(kind) / capacitySeconds;
    }

    double bench() {
        return benchSeconds / capacitySeconds;
    }

    /** What the work other than the classification thread and ONNX Runtime's leaves them, as a share of the machine. */
    double leftForForwardPass() {
        double others = bench();
        for (ThreadCpu.Kind k : ThreadCpu.Kind.values()) {
            if (k != ThreadCpu.Kind.OTHER) {
                others += service(k);
            }
        }
        return Math.max(0, 1 - others);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
