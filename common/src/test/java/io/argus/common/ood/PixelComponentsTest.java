package io.argus.common.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.engine.OodScorer;
import io.argus.common.image.InputSpec;
import io.argus.common.model.OodReference;

/**
 * The pixel components, computed the fast way (a batch at a time, as matrix products in ONNX
 * Runtime, sums in floats and in another order), give what the definition gives: the
 * straightforward computation below, in doubles, one image after another. On real statistics
 * (principal components of Fashion-MNIST images) with real and other-domain images, and on random
 * statistics of odd sizes; in batches of 1, a partial batch, a full one and more.
 */
class PixelComponentsTest {

    private static final InputSpec SPEC = PreparedImages.SPEC;
    private static final List<String> PIXEL_COMPONENTS = List.of(OodScorer.PIXEL_RESIDUAL, OodScorer.PIXEL_DEVIATION,
            OodScorer.PIXEL_MAHALANOBIS);
    /** Float rounding in another order, against doubles: measured under 3e-7 relative. */
    private static final double PERCENT = 1e-3;
    private static final int[] BATCHES = {1, 7, 32, 100};

    private static OodReference.Pixels fashion;
    private static float[] real;
    private static int realCount;

    @BeforeAll
    static void fitPrincipalComponentsOnFashionMnist() throws Exception {
        FashionMnist.Data data = FashionMnist.load();
        int fit = Math.min(2000, data.train().count());
        fashion = OodFit.pixels(PreparedImages.of(data.train(), 0, fit), SPEC.size(), fit, 50);
        assertThat(fashion.components()).isEqualTo(50);
        float[] ordinary = PreparedImages.of(data.test(), 0, 100);
        float[] other = PreparedImages.otherDomain(List.of(OtherDomainImages.Kind.values()), 20);
        real = Arrays.copyOf(ordinary, ordinary.length + other.length);
        System.arraycopy(other, 0, real, ordinary.length, other.length);
        realCount = real.length / SPEC.size();
    }

    @Test
    void realStatisticsOnOrdinaryAndOtherDomainImagesScoreAsDefined() {
        assertScoresAsDefined(fashion, real, realCount);
    }

    @Test
    void realStatisticsOnRandomInputsScoreAsDefined() {
        assertScoresAsDefined(fashion, random(new Random(5), 150 * SPEC.size(), 0, 1), 150);
    }

    /** 30 input floats and 7 components: sizes no kernel is tuned for. */
    @Test
    void randomStatisticsOfOddSizesScoreAsDefined() {
        Random r = new Random(9);
        int size = 30;
        int components = 7;
        OodReference.Pixels pixels = new OodReference.Pixels(size, random(r, size, 0, 1), components,
                random(r, components * size, -0.3f, 0.3f), random(r, components, 0.01f, 2),
                random(r, size, 0.001f, 0.1f));
        assertScoresAsDefined(pixels, random(r, 120 * size, 0, 1), 120);
    }

    private static void assertScoresAsDefined(OodReference.Pixels pixels, float[] inputs, int count) {
        for (int batch : BATCHES) {
            for (int from = 0; from < count; from += batch) {
                int n = Math.min(batch, count - from);
                float[] x = Arrays.copyOfRange(inputs, from * pixels.size(), (from + n) * pixels.size());
                double[][] want = new double[PIXEL_COMPONENTS.size()][n];
                for (int k = 0; k < n; k++) {
                    double[] defined = defined(pixels, x, k);
                    for (int c = 0; c < want.length; c++) {
                        want[c][k] = defined[c];
                    }
                }
                OodReference reference = reference(pixels);
                for (int c = 0; c < want.length; c++) {
                    double[] got = OodScorer.raw(reference, PIXEL_COMPONENTS.get(c), x, new float[n][0]);
                    for (int k = 0; k < n; k++) {
                        assertThat(got[k]).as("%s of image %d, batch of %d", PIXEL_COMPONENTS.get(c), from + k, n)
                                .isCloseTo(want[c][k], withinPercentage(PERCENT));
                    }
                }
                double[] served;
                try (OodScorer scorer = new OodScorer(reference)) {
                    served = scorer.scores(x, new float[n][0]);
                }
                for (int k = 0; k < n; k++) {
                    double largest = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < want.length; c++) {
                        largest = Math.max(largest, reference.scales().get(c).apply(want[c][k]));
                    }
                    assertThat(served[k]).as("the served score of image %d, batch of %d", from + k, n)
                            .isCloseTo(largest, withinPercentage(PERCENT));
                }
            }
        }
    }

    /** The three components of image {@code k}, as their definitions read, in doubles. */
    private static double[] defined(OodReference.Pixels p, float[] inputs, int k) {
        int size = p.size();
        double[] centred = new double[size];
        for (int i = 0; i < size; i++) {
            centred[i] = inputs[k * size + i] - p.mean()[i];
        }
        double[] residual = centred.clone();
        double within = 0;
        for (int j = 0; j < p.components(); j++) {
            double projection = 0;
            for (int i = 0; i < size; i++) {
                projection += p.basis()[j * size + i] * centred[i];
            }
            for (int i = 0; i < size; i++) {
                residual[i] -= projection * p.basis()[j * size + i];
            }
            within += projection * projection / Math.max(p.variances()[j], 1e-12);
        }
        double squares = 0;
        double weighted = 0;
        for (int i = 0; i < size; i++) {
            squares += residual[i] * residual[i];
            weighted += residual[i] * residual[i] / p.residualVariances()[i];
        }
        return new double[] {Math.sqrt(squares), Math.sqrt(weighted), Math.sqrt(within)};
    }

    /** All three served, each on a scale of its own, so that each can be the largest. */
    private static OodReference reference(OodReference.Pixels pixels) {
        List<OodReference.Scale> scales = List.of(new OodReference.Scale(OodScorer.PIXEL_RESIDUAL, 1, 3),
                new OodReference.Scale(OodScorer.PIXEL_DEVIATION, 10, 40), new OodReference.Scale(
                        OodScorer.PIXEL_MAHALANOBIS, 5, 9));
        return new OodReference(OodReference.MAX_Z, null, null, pixels, scales, 1, 0.96, 0, 0);
    }

    private static float[] random(Random r, int n, float low, float high) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = low + r.nextFloat() * (high - low);
        }
        return out;
    }
}
