package io.argus.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.ModelStatus;
import io.argus.common.model.ModelMetrics;

class GateTest {

    private static final List<String> AB = List.of("a", "b");

    @Test
    void aCandidateAtLeastAsGoodAsTheChampionIsPromoted() {
        Gate gate = new Gate("macro-f1", 0.0, 5);

        Gate.Decision tie = gate.decide(metrics(8, 2, 2, 8), metrics(8, 2, 2, 8), false);
        Gate.Decision worse = gate.decide(metrics(7, 3, 3, 7), metrics(8, 2, 2, 8), false);

        assertThat(tie.status()).isEqualTo(ModelStatus.PROMOTED);
        assertThat(worse.status()).isEqualTo(ModelStatus.REJECTED);
        assertThat(worse.reason()).contains("macro-f1 0.7000 < champion's 0.8000", "on 20 held-out samples");
    }

    @Test
    void aMarginLetsASlightlyWorseCandidateThrough() {
        Gate gate = new Gate("accuracy", 0.15, 5);

        Gate.Decision d = gate.decide(metrics(7, 3, 3, 7), metrics(8, 2, 2, 8), false);

        assertThat(d.status()).isEqualTo(ModelStatus.PROMOTED);
        assertThat(d.reason()).contains("margin 0.1500");
    }

    @Test
    void withoutAChampionTheFirstCandidateIsPromotedAndTooFewHeldOutSamplesAreRejected() {
        Gate gate = new Gate("macro-f1", 0.0, 5);

        assertThat(gate.decide(metrics(5, 0, 0, 5), null, false).status()).isEqualTo(ModelStatus.PROMOTED);
        Gate.Decision few = gate.decide(metrics(2, 0, 0, 2), metrics(0, 2, 2, 0), false);
        assertThat(few.status()).isEqualTo(ModelStatus.REJECTED);
        assertThat(few.reason()).contains("only 4 held-out samples");
    }

    @Test
    void aNewClassSetIsComparedOnSharedClassesAndFlagged() {
        Gate.Decision d = new Gate("macro-f1", 0.0, 5).decide(metrics(8, 2, 2, 8), metrics(8, 2, 2, 8), true);

        assertThat(d.classesDiffer()).isTrue();
        assertThat(d.reason()).contains("classes both models know");
    }

    @Test
    void anUnknownMetricIsRefused() {
        assertThatThrownBy(() -> new Gate("f2", 0, 5)).hasMessageContaining("macro-f1 or accuracy");
    }

    private static ModelMetrics metrics(int aa, int ab, int ba, int bb) {
        return ModelMetrics.fromConfusion(AB, new int[][] {{aa, ab}, {ba, bb}});
    }
}
