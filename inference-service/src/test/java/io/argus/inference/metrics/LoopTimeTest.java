package io.argus.inference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.argus.inference.metrics.LoopTime.Phase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The classification thread's time and CPU time are booked to the step that spent them: a step that
 * computes books both, a step that waits books time but almost no CPU. The benchmark takes the CPU
 * booked outside the forward pass from what the forward pass can have.
 */
class LoopTimeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LoopTime time = LoopTime.register(registry);

    @Test
    void aStepThatComputesBooksItsCpuTimeAndAStepThatWaitsBooksAlmostNone() throws InterruptedException {
        time.start();
        spin(200);
        time.lap(Phase.DECODE);
        Thread.sleep(200);
        time.lap(Phase.WAIT);

        assertThat(time.seconds(Phase.DECODE)).isGreaterThanOrEqualTo(0.2);
        assertThat(time.cpuSeconds(Phase.DECODE)).isGreaterThan(0.1);
        assertThat(time.seconds(Phase.WAIT)).isGreaterThanOrEqualTo(0.19);
        assertThat(time.cpuSeconds(Phase.WAIT)).isLessThan(0.05);
        assertThat(time.cpuSeconds(Phase.MODEL)).isZero();
    }

    @Test
    void theCpuTimeIsAMetricByStep() {
        time.start();
        spin(50);
        time.lap(Phase.RESULTS);

        assertThat(registry.get("argus.inference.loop.cpu").tag("phase", "results").functionCounter().count())
                .isEqualTo(time.cpuSeconds(Phase.RESULTS)).isPositive();
        assertThat(registry.get("argus.inference.loop.cpu").tag("phase", "model").functionCounter().count()).isZero();
    }

    private static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.nanoTime() & 1;
        }
        assertThat(x).isNotNegative();
    }
}
