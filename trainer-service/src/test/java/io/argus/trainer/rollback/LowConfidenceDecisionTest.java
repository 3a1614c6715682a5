package io.argus.trainer.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.argus.trainer.live.LowConfidenceRates;

class LowConfidenceDecisionTest {

    /** The defaults of argus.trainer.rollback.* (min-results, low-confidence-margin, z, low-confidence, window). */
    private final LowConfidenceDecision decision = new LowConfidenceDecision(
            new LowConfidenceDecision.Settings(100, 0.25, 3.29));
    private final LowConfidenceRates rates = new LowConfidenceRates(0.6, 500, 100, 20);

    @Test
    void aVersionWhoseAnswersWentFlatOnASensorIsRolledBackWithoutLabels() {
        serve(1, "cam-a", 400, 0.10, new SplittableRandom(1));
        serve(1, "cam-b", 400, 0.10, new SplittableRandom(2));
        serve(2, "cam-a", 100, 0.10, new SplittableRandom(3));
        serve(2, "cam-b", 100, 0.95, new SplittableRandom(4));

        Optional<String> reason = decision.judge(2, rates.of(2), 1, rates);

        assertThat(reason).get().asString().startsWith("unsure with confidence on sensor cam-b: v2 ")
                .contains("under the confidence line (n=100), v1 ");
    }

    @Test
    void beforeBothVersionsServedEnoughOnASensorItIsNotJudged() {
        serve(1, "cam-a", 400, 0.10, new SplittableRandom(1));
        serve(2, "cam-a", 99, 1.0, new SplittableRandom(2));

        assertThat(decision.judge(2, rates.of(2), 1, rates)).isEmpty();
        // A sensor the previous version never served has nothing to compare with.
        serve(2, "cam-new", 400, 1.0, new SplittableRandom(3));
        assertThat(decision.judge(2, rates.of(2), 1, rates)).isEmpty();
    }

    /**
     * A retrained, recalibrated version is often less sure than an overconfident predecessor and
     * still better: 10% unsure before, 25% after is left to live accuracy to judge. Over 1,000
     * simulated promotions on three sensors, judged after every result from the 100th to the 500th.
     */
    @Test
    void aLessConfidentButHealthyVersionAndNoiseAreLeftAlone() {
        SplittableRandom random = new SplittableRandom(14);
        int rolledBack = 0;
        for (int promotion = 0; promotion < 1000; promotion++) {
            LowConfidenceRates r = new LowConfidenceRates(0.6, 500, 100, 20);
            for (String sensor : new String[] {"cam-a", "cam-b", "cam-c"}) {
                for (int i = 0; i < 500; i++) {
                    r.served(1, sensor, random.nextDouble() < 0.10 ? 0.3 : 0.9);
                }
            }
            boolean back = false;
            for (int i = 0; i < 500 && !back; i++) {
                for (String sensor : new String[] {"cam-a", "cam-b", "cam-c"}) {
                    r.served(2, sensor, random.nextDouble() < 0.25 ? 0.3 : 0.9);
                }
                back = i >= 99 && decision.judge(2, r.of(2), 1, r).isPresent();
            }
            rolledBack += back ? 1 : 0;
        }
        assertThat(rolledBack).as("false rollbacks in 1,000 promotions of a version 15 points less sure").isZero();
    }

    @Test
    void theWindowKeepsOnlyTheLatestResults() {
        LowConfidenceRates r = new LowConfidenceRates(0.6, 10, 100, 20);
        for (int i = 0; i < 10; i++) {
            r.served(1, "cam-a", 0.1);
        }
        for (int i = 0; i < 7; i++) {
            r.served(1, "cam-a", 0.9);
        }

        assertThat(r.of(1, "cam-a")).get().isEqualTo(new LowConfidenceRates.Rate("cam-a", 3, 10));
    }

    private void serve(int version, String sensor, int count, double unsureShare, SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            rates.served(version, sensor, random.nextDouble() < unsureShare ? 0.3 : 0.9);
        }
    }
}
