package io.argus.learning.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.onnx.OnnxParity;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.testing.TrainedFashionCnn;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.TrainingSet;

/**
 * The pruning schedule on real Fashion-MNIST images (the bundled subset), with a fixed seed, on the
 * network {@link TrainedFashionCnn} trains (its training and early-stopping images are the schedule's).
 */
class IterativePruningTest {

    private static final Fitter.Settings RECOVERY = new Fitter.Settings(1, 32, 1, 11, null);
    private static TrainingSet train;
    private static TrainingSet validation;
    private static TrainingSet test;
    private static MultiLayerNetwork trained;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void aTrainedFashionCnn() throws Exception {
        FashionMnist.Data data = FashionMnist.loadSubset();
        train = TrainedFashionCnn.train(data);
        validation = TrainedFashionCnn.validation(data);
        test = TrainingSet.of(data.test(), FashionMnist.LABELS, FashionCnn.INPUT);
        trained = TrainedFashionCnn.copy();
    }

    @Test
    void halfTheParametersGoWithinTheToleranceAndTheResultExportsToOnnx() {
        double testBefore = Evaluator.evaluate(trained, test).accuracy();

        IterativePruning.Result r = new IterativePruning(progress::add).run(trained, FashionCnn.INPUT, train,
                validation, PruneOptions.of(0.5, null, 0.02, 0.2, 2), RECOVERY, e -> { });

        assertThat(r.summary().stoppedBecause()).isEqualTo("target reached");
        assertThat(r.summary().paramsRemoved()).isGreaterThanOrEqualTo(0.5);
        assertThat(r.network().numParams()).isEqualTo(r.summary().paramsAfter()).isLessThan(trained.numParams() / 2);
        assertThat(r.summary().flopsAfter()).isLessThan(r.summary().flopsBefore());
        assertThat(r.summary().validationAccuracyAfter())
                .isGreaterThanOrEqualTo(r.summary().validationAccuracyBefore() - 0.02);
        // Held-out images the schedule never saw: pruning cost at most a few points there too.
        assertThat(Evaluator.evaluate(r.network(), test).accuracy()).isGreaterThan(testBefore - 0.03);
        assertThat(r.steps()).allMatch(IterativePruning.Step::kept);
        assertThat(progress).anyMatch(l -> l.startsWith("pruning step 1:")).anyMatch(l -> l.startsWith("pruning done"));
        OnnxParity.exportChecked(r.network(), FashionCnn.INPUT);
    }

    @Test
    void aCutThatCostsMoreThanTheToleranceIsUndoneSmallerCutsAreTriedAndThenPruningStops() {
        // Most of the filters at once and no recovery: accuracy collapses, and so it does for the smaller cuts.
        IterativePruning.Result r = new IterativePruning(progress::add).run(trained, FashionCnn.INPUT, train,
                validation, PruneOptions.of(0.95, "params", 0.0, 0.8, 0), RECOVERY, e -> { });

        assertThat(r.summary().stoppedBecause()).startsWith("tolerance: step " + r.steps().size() + " would cost");
        assertThat(r.steps()).hasSizeGreaterThanOrEqualTo(2).noneMatch(IterativePruning.Step::kept);
        assertThat(r.steps()).extracting(IterativePruning.Step::params).as("each cut smaller than the one before")
                .isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(r.network()).isSameAs(trained);
        assertThat(r.summary().paramsAfter()).isEqualTo(trained.numParams());
        assertThat(r.summary().steps()).isZero();
    }

    @Test
    void badOptionsAreRefusedSayingWhatIsAllowed() {
        for (double target : new double[] {0, 1, 1.5, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> PruneOptions.of(target, null, null, null, null))
                    .hasMessageContaining("target").hasMessageContaining("(0, 1)");
        }
        assertThatThrownBy(() -> PruneOptions.of(null, null, null, null, null)).hasMessageContaining("needs a target");
        assertThatThrownBy(() -> PruneOptions.of(0.5, null, -0.01, null, null)).hasMessageContaining("tolerance")
                .hasMessageContaining("-0.01");
        assertThatThrownBy(() -> PruneOptions.of(0.5, null, null, 0.0, null)).hasMessageContaining("step");
        assertThatThrownBy(() -> PruneOptions.of(0.5, "bytes", null, null, null)).hasMessageContaining("params or flops");
        assertThatThrownBy(() -> PruneOptions.of(0.5, null, null, null, -1)).hasMessageContaining("recoveryEpochs");
        assertThatThrownBy(() -> PruneOptions.of(0.5, null, null, null, null, 0)).hasMessageContaining("channelMultiple");
        assertThat(PruneOptions.of(0.5, "FLOPS", null, null, null).measure()).isEqualTo(PruneOptions.Measure.FLOPS);
    }

    @Test
    void pruningWithoutValidationSamplesIsRefused() {
        assertThatThrownBy(() -> new IterativePruning(progress::add).run(trained, FashionCnn.INPUT, train, null,
                PruneOptions.of(0.5, null, null, null, null), RECOVERY, e -> { }))
                .hasMessageContaining("validation samples");
    }
}
