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
 * <p>The model alone keeps every core busy (checked: {@code vmstat} shows no idle while it runs), so
 * end to end the forward pass can have at most what the rest of the work leaves it: the <em>CPU
 * bound</em> is model-only times that share. From outside the process the classification thread
 * cannot be told from ONNX Runtime's threads ({@link ThreadCpu}), and it works as one of them in the
 * forward pass; what it spends outside it (decoding its share of a batch, results, polls) the service
 * books itself ({@code argus_inference_loop_cpu_seconds_total}) and the bound leaves out. The other
 * threads of {@link ThreadCpu.Kind#OTHER} (the HTTP server's, a metrics scrape) still count as the
 * forward pass's, which makes the bound a little higher, never lower, than it is.
 *
 * @param serviceSeconds               CPU seconds of inference-service's threads, by kind
 * @param classificationOutsideSeconds CPU seconds of the classification thread outside the forward
 *                                     pass (part of {@link ThreadCpu.Kind#OTHER})
 * @param benchSeconds                 CPU seconds of the bench's own JVM
 * @param idleShare                    the machine's idle share (all processes), from {@code /proc/stat}
 */
record CpuShares(double capacitySeconds, Map<ThreadCpu.Kind, Double> serviceSeconds,
                 double classificationOutsideSeconds, double benchSeconds, double idleShare) {

    /** The counters at one moment. */
    record Snapshot(long nanos, Map<ThreadCpu.Kind, Duration> service, Duration classificationOutside,
                    Duration bench, long idleTicks, long totalTicks) {

        /**
         * Now, for the service's process, whose classification thread has spent {@code classificationOutside}
         * outside the forward pass so far; empty where {@code /proc} or the process's CPU time cannot be read.
         */
        static Optional<Snapshot> take(long servicePid, Duration classificationOutside) {
            Optional<Map<ThreadCpu.Kind, Duration>> service = ThreadCpu.of(servicePid);
            Optional<Duration> bench = ProcessHandle.current().info().totalCpuDuration();
            Optional<long[]> machine = machine();
            if (service.isEmpty() || bench.isEmpty() || machine.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(System.nanoTime(), service.get(), classificationOutside, bench.get(),
                    machine.get()[0], machine.get()[1]));
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
                seconds(b.classificationOutside().minus(a.classificationOutside())),
                seconds(b.bench().minus(a.bench())), idle));
    }

    /** A kind of the service's threads, as a share of the machine. */
    double service(ThreadCpu.Kind kind) {
        return serviceSeconds.get(kind) / capacitySeconds;
    }

    /** The classification thread outside the forward pass, as a share of the machine. */
    double classificationOutsideModel() {
        return classificationOutsideSeconds / capacitySeconds;
    }

    double bench() {
        return benchSeconds / capacitySeconds;
    }

    /** What all other work leaves the forward pass, as a share of the machine. */
    double leftForForwardPass() {
        double others = bench() + classificationOutsideModel();
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
