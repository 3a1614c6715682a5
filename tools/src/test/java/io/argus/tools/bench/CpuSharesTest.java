package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The CPU bound of an end-to-end run: the model alone keeps the machine busy, so the forward pass
 * has at most what the service's other threads and the bench's own JVM leave it.
 */
class CpuSharesTest {

    @Test
    void everythingButTheClassificationThreadAndOnnxRuntimeIsTakenFromTheModel() {
        // 2 cores for 10 s: 20 CPU seconds.
        CpuShares c = between(seconds(15.0, 0.4, 0.2, 0.6, 0.1), 0.0, 0.7, 2, 10);

        assertThat(c.service(ThreadCpu.Kind.OTHER)).isCloseTo(0.75, within(1e-9));
        assertThat(c.service(ThreadCpu.Kind.DECODE)).isCloseTo(0.02, within(1e-9));
        assertThat(c.bench()).isCloseTo(0.035, within(1e-9));
        // 1 - (0.6 + 0.4 + 0.2 + 0.1 + 0.7) / 20
        assertThat(c.leftForForwardPass()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void whatTheClassificationThreadSpendsOutsideTheForwardPassIsTakenFromItToo() {
        // Of the 15 s of the classification thread and ONNX Runtime's, 0.5 s were the classification
        // thread decoding its share, building results and polling.
        CpuShares c = between(seconds(15.0, 0.4, 0.2, 0.6, 0.1), 0.5, 0.7, 2, 10);

        assertThat(c.classificationOutsideModel()).isCloseTo(0.025, within(1e-9));
        // 1 - (0.6 + 0.4 + 0.2 + 0.1 + 0.7 + 0.5) / 20
        assertThat(c.leftForForwardPass()).isCloseTo(0.875, within(1e-9));
    }

    @Test
    void theMachinesIdleShareComesFromItsOwnCounters() {
        Map<ThreadCpu.Kind, Duration> none = durations(seconds(0, 0, 0, 0, 0));
        CpuShares.Snapshot a = new CpuShares.Snapshot(0, none, Duration.ZERO, Duration.ZERO, 100, 1000);
        CpuShares.Snapshot b = new CpuShares.Snapshot(1_000_000_000L, none, Duration.ZERO, Duration.ZERO, 150, 1200);

        assertThat(CpuShares.between(Optional.of(a), Optional.of(b), 2).orElseThrow().idleShare())
                .isCloseTo(0.25, within(1e-9));
    }

    @Test
    void noProcNoShares() {
        assertThat(CpuShares.between(Optional.empty(), Optional.empty(), 2)).isEmpty();
    }

    @Test
    void thisJvmCanBeMeasuredHere() {
        Optional<CpuShares.Snapshot> s = CpuShares.Snapshot.take(ProcessHandle.current().pid(), Duration.ZERO);

        assertThat(s).isPresent();
        assertThat(s.get().service().values().stream().mapToLong(Duration::toMillis).sum()).isPositive();
        assertThat(s.get().totalTicks()).isGreaterThan(s.get().idleTicks());
    }

    /** CPU seconds of other, decode, kafka, compilers and collector threads. */
    private static Map<ThreadCpu.Kind, Double> seconds(double other, double decode, double kafka, double compilers,
                                                       double collector) {
        Map<ThreadCpu.Kind, Double> m = new EnumMap<>(ThreadCpu.Kind.class);
        m.put(ThreadCpu.Kind.OTHER, other);
        m.put(ThreadCpu.Kind.DECODE, decode);
        m.put(ThreadCpu.Kind.KAFKA, kafka);
        m.put(ThreadCpu.Kind.COMPILERS, compilers);
        m.put(ThreadCpu.Kind.COLLECTOR, collector);
        return m;
    }

    private static Map<ThreadCpu.Kind, Duration> durations(Map<ThreadCpu.Kind, Double> seconds) {
        Map<ThreadCpu.Kind, Duration> m = new EnumMap<>(ThreadCpu.Kind.class);
        seconds.forEach((k, v) -> m.put(k, Duration.ofNanos((long) (v * 1e9))));
        return m;
    }

    private static CpuShares between(Map<ThreadCpu.Kind, Double> service, double classificationOutside,
                                     double bench, int cores, double wall) {
        CpuShares.Snapshot a = new CpuShares.Snapshot(0, durations(seconds(0, 0, 0, 0, 0)), Duration.ZERO,
                Duration.ZERO, 0, 100);
        CpuShares.Snapshot b = new CpuShares.Snapshot((long) (wall * 1e9), durations(service),
                Duration.ofNanos((long) (classificationOutside * 1e9)), Duration.ofNanos((long) (bench * 1e9)), 10, 200);
        return CpuShares.between(Optional.of(a), Optional.of(b), cores).orElseThrow();
    }
}
