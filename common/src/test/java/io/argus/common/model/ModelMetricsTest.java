package io.argus.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class ModelMetricsTest {

    @Test
    void computesAccuracyPerClassAndMacroScoresFromTheConfusionMatrix() {
        // actual x predicted
        int[][] confusion = {
                {8, 2, 0},
                {1, 4, 0},
                {0, 0, 0}, // a class with no test samples does not count in macro averages
        };
        ModelMetrics m = ModelMetrics.fromConfusion(List.of("a", "b", "c"), confusion);

        assertThat(m.samples()).isEqualTo(15);
        assertThat(m.accuracy()).isCloseTo(12 / 15.0, within(1e-12));
        ClassMetrics a = m.perClass().get(0);
        assertThat(a.precision()).isCloseTo(8 / 9.0, within(1e-12));
        assertThat(a.recall()).isCloseTo(0.8, within(1e-12));
        assertThat(a.f1()).isCloseTo(2 * (8 / 9.0) * 0.8 / (8 / 9.0 + 0.8), within(1e-12));
        assertThat(a.support()).isEqualTo(10);
        ClassMetrics b = m.perClass().get(1);
        assertThat(b.precision()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(m.macroRecall()).isCloseTo((0.8 + 0.8) / 2, within(1e-12));
        assertThat(m.macroF1()).isCloseTo((a.f1() + b.f1()) / 2, within(1e-12));
        assertThat(m.confusion().get(0)).containsExactly(8, 2, 0);
    }

    @Test
    void theConfusionMatrixCountsArgMaxPredictions() {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b"));
        cm.addAll(new int[] {0, 1, 1}, new float[][] {{0.9f, 0.1f}, {0.6f, 0.4f}, {0.2f, 0.8f}});

        assertThat(cm.metrics().confusion()).containsExactly(List.of(1, 0), List.of(1, 1));
    }
}
