package io.argus.trainer.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.argus.learning.gate.Intervals;
import io.argus.trainer.registry.LiveAccuracy;

class RollbackDecisionTest {

    /** The defaults of argus.trainer.rollback.*. */
    private final RollbackDecision decision = new RollbackDecision(new RollbackDecision.Settings(30, 0.05, 3.29));

    @Test
    void aClearlyWorseVersionIsRolledBackWithTheFiguresInTheReason() {
        LiveAccuracy previous = accuracy(1, List.of(sensor("cam-a", 160, 200)));
        LiveAccuracy promoted = accuracy(2, List.of(sensor("cam-a", 6, 40)));

        RollbackDecision.Verdict v = decision.judge(promoted, previous);

        assertThat(v.rollBack()).isTrue();
        assertThat(v.reason()).contains("all sensors: v2 15.0% (n=40), v1 80.0% (n=200)").contains("99.9% interval");
    }

    @Test
    void aVersionThatBreaksOneSensorIsRolledBackAlthoughTheWholeLooksFine() {
        LiveAccuracy previous = accuracy(1, List.of(sensor("cam-a", 800, 1000), sensor("cam-b", 80, 100)));
        LiveAccuracy promoted = accuracy(2, List.of(sensor("cam-a", 850, 1000), sensor("cam-b", 20, 100)));

        RollbackDecision.Verdict v = decision.judge(promoted, previous);

        assertThat(v.rollBack()).isTrue();
        assertThat(v.reason()).contains("sensor cam-b");
    }

    @Test
    void aSlightlyWorseOrSmallSampleIsNotEnough() {
        LiveAccuracy previous = accuracy(1, List.of(sensor("cam-a", 80, 100)));
        // 5 points worse on 100 labels: within the noise.
        assertThat(decision.judge(accuracy(2, List.of(sensor("cam-a", 75, 100))), previous).rollBack()).isFalse();
        // Everything wrong, but on 10 labels: too few to judge.
        RollbackDecision.Verdict few = decision.judge(accuracy(2, List.of(sensor("cam-a", 0, 10))), previous);
        assertThat(few.rollBack()).isFalse();
        assertThat(few.reason()).contains("too few labels");
    }

    /**
     * Noise: an equally good version (80% on every sensor, as the previous), judged after every one
     * of its first 300 labels on three sensors, as the watch does. Measured over 1,000 simulated
     * promotions; a false rollback in more than 1% of them would make automatic rollback a nuisance.
     */
    @Test
    void anEquallyGoodVersionJudgedAfterEveryLabelIsAlmostNeverRolledBack() {
        SplittableRandom random = new SplittableRandom(14);
        int falseRollbacks = 0;
        int promotions = 1000;
        for (int p = 0; p < promotions; p++) {
            int[][] before = new int[3][2];
            for (int i = 0; i < 500; i++) {
                draw(random, before, 0.8);
            }
            LiveAccuracy previous = accuracy(1, before);
            int[][] now = new int[3][2];
            for (int i = 0; i < 300; i++) {
                draw(random, now, 0.8);
                if (decision.judge(accuracy(2, now), previous).rollBack()) {
                    falseRollbacks++;
                    break;
                }
            }
        }
        System.out.printf("false rollbacks: %d of %d equally good promotions%n", falseRollbacks, promotions);
        assertThat(falseRollbacks).isLessThanOrEqualTo(promotions / 100);
    }

    /** A damaged version (10% right where the previous was 80%) is caught within 100 labels, every time. */
    @Test
    void aDamagedVersionIsCaughtWithinAHundredLabels() {
        SplittableRandom random = new SplittableRandom(15);
        LiveAccuracy previous = accuracy(1, List.of(sensor("cam-a", 400, 500)));
        int worst = 0;
        for (int p = 0; p < 200; p++) {
            int n = 0;
            int correct = 0;
            while (true) {
                n++;
                correct += random.nextDouble() < 0.1 ? 1 : 0;
                if (decision.judge(accuracy(2, List.of(sensor("cam-a", correct, n))), previous).rollBack()) {
                    break;
                }
            }
            worst = Math.max(worst, n);
        }
        System.out.printf("a damaged version was rolled back after at most %d labels (200 promotions)%n", worst);
        assertThat(worst).isLessThanOrEqualTo(100);
    }

    /** One label of a random one of the sensors, right with probability {@code accuracy}: counts[sensor] = {n, correct}. */
    private static void draw(SplittableRandom random, int[][] counts, double accuracy) {
        int s = random.nextInt(counts.length);
        counts[s][0]++;
        counts[s][1] += random.nextDouble() < accuracy ? 1 : 0;
    }

    private static LiveAccuracy accuracy(int version, int[][] counts) {
        List<LiveAccuracy.Sensor> sensors = new java.util.ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            sensors.add(sensor("cam-" + s, counts[s][1], counts[s][0]));
        }
        return accuracy(version, sensors);
    }

    private static LiveAccuracy.Sensor sensor(String id, int correct, int n) {
        double[] ci = Intervals.wilson(correct, n);
        return new LiveAccuracy.Sensor(id, n, correct, n == 0 ? null : (double) correct / n, ci[0], ci[1]);
    }

    private static LiveAccuracy accuracy(int version, List<LiveAccuracy.Sensor> sensors) {
        int n = sensors.stream().mapToInt(LiveAccuracy.Sensor::n).sum();
        int correct = sensors.stream().mapToInt(LiveAccuracy.Sensor::correct).sum();
        double[] ci = Intervals.wilson(correct, n);
        return new LiveAccuracy(version, n, correct, n == 0 ? null : (double) correct / n, ci[0], ci[1], 500,
                sensors);
    }
}
