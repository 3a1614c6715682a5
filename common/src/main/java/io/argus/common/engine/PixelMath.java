package io.argus.common.engine;

import io.argus.common.model.OodReference;

/**
 * The pixel components' arithmetic ({@link OodScorer#PIXEL_RESIDUAL}, {@link OodScorer#PIXEL_DEVIATION},
 * {@link OodScorer#PIXEL_MAHALANOBIS}), on the classification thread for every image: 2 x components
 * x size multiply-adds per image (78,400 for 50 components of a 28 x 28 input), more than the small
 * model's forward pass. Laid out for C2's SIMD (no vector API: it needs a flag at launch):
 * <ul>
 * <li>each inner loop runs along a whole row of its own array ({@code float[][]}), indexed by the
 * loop variable alone. Indexed at an offset into one flat array ({@code basis[row + i]}), Java 17's
 * C2 left the same loops scalar: five times slower, measured;</li>
 * <li>the inner loops are multiply-adds into an array, not sums into one variable, which C2 does not
 * vectorise for floats;</li>
 * <li>four rows per pass: the row being accumulated is read and written once for four multiply-adds
 * instead of one.</li>
 * </ul>
 * Image after image, the basis (2 x 157 KB for the 28 x 28 model) stays in the core's L2 cache; one
 * image's input and projection stay in L1. The sums are in a different order than one input float
 * after another, so the values differ from a straightforward computation within float rounding.
 */
final class PixelMath {

    private static final int ROWS_PER_PASS = 4;

    private final int size;
    private final int components;
    private final float[] mean;
    /** {@code components} rows of {@code size}: the principal components. */
    private final float[][] basis;
    /** {@code size} rows of {@code components}: row i holds every component's weight of input float i. */
    private final float[][] basisByInput;
    private final float[] variances;
    /** Per input float, 1 over the training residual's mean square there; null without it. */
    private final double[] deviationWeights;
    private final double[] residualWeights;

    PixelMath(OodReference.Pixels ref) {
        this.size = ref.size();
        this.components = ref.components();
        this.mean = ref.mean();
        this.variances = ref.variances();
        this.basis = new float[components][size];
        this.basisByInput = new float[size][components];
        for (int j = 0; j < components; j++) {
            for (int i = 0; i < size; i++) {
                basis[j][i] = ref.basis()[j * size + i];
                basisByInput[i][j] = ref.basis()[j * size + i];
            }
        }
        float[] v = ref.residualVariances();
        this.deviationWeights = v == null ? null : new double[size];
        for (int i = 0; v != null && i < size; i++) {
            deviationWeights[i] = 1.0 / v[i];
        }
        this.residualWeights = new double[size];
        java.util.Arrays.fill(residualWeights, 1.0);
    }

    /** {@code component} of each of the first {@code count} images of {@code inputs}. */
    double[] scores(float[] inputs, int count, String component) {
        if (inputs.length < count * size) {
            throw new IllegalArgumentException("inputs of " + inputs.length + " floats; " + count + " images need "
                    + count * size);
        }
        double[] weights = OodScorer.PIXEL_DEVIATION.equals(component) ? deviationWeights : residualWeights;
        float[] x = new float[size];
        float[] p = new float[components];
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            int from = k * size;
            for (int i = 0; i < size; i++) {
                x[i] = inputs[from + i] - mean[i];
            }
            project(x, p);
            if (OodScorer.PIXEL_MAHALANOBIS.equals(component)) {
                double within = 0;
                for (int j = 0; j < components; j++) {
                    within += (double) p[j] * p[j] / Math.max(variances[j], 1e-12);
                }
                out[k] = Math.sqrt(within);
            } else {
                subtractReconstruction(p, x);
                out[k] = Math.sqrt(weightedSquares(x, weights));
            }
        }
        return out;
    }

    /** {@code p} becomes the projection of {@code x} on the components. */
    private void project(float[] x, float[] p) {
        java.util.Arrays.fill(p, 0);
        int i = 0;
        for (; i + ROWS_PER_PASS <= size; i += ROWS_PER_PASS) {
            float x0 = x[i];
            float x1 = x[i + 1];
            float x2 = x[i + 2];
            float x3 = x[i + 3];
            float[] b0 = basisByInput[i];
            float[] b1 = basisByInput[i + 1];
            float[] b2 = basisByInput[i + 2];
            float[] b3 = basisByInput[i + 3];
            for (int j = 0; j < components; j++) {
                p[j] += b0[j] * x0 + b1[j] * x1 + b2[j] * x2 + b3[j] * x3;
            }
        }
        for (; i < size; i++) {
            float xi = x[i];
            float[] b = basisByInput[i];
            for (int j = 0; j < components; j++) {
                p[j] += b[j] * xi;
            }
        }
    }

    /** {@code x} becomes its residual: minus the components weighted by the projection {@code p}. */
    private void subtractReconstruction(float[] p, float[] x) {
        int j = 0;
        for (; j + ROWS_PER_PASS <= components; j += ROWS_PER_PASS) {
            float p0 = p[j];
            float p1 = p[j + 1];
            float p2 = p[j + 2];
            float p3 = p[j + 3];
            float[] b0 = basis[j];
            float[] b1 = basis[j + 1];
            float[] b2 = basis[j + 2];
            float[] b3 = basis[j + 3];
            for (int i = 0; i < size; i++) {
                x[i] -= p0 * b0[i] + p1 * b1[i] + p2 * b2[i] + p3 * b3[i];
            }
        }
        for (; j < components; j++) {
            float pj = p[j];
            float[] b = basis[j];
            for (int i = 0; i < size; i++) {
                x[i] -= pj * b[i];
            }
        }
    }

    /** The sum of {@code x[i]^2 w[i]}, in four running sums: one would wait on each add's latency. */
    private double weightedSquares(float[] x, double[] w) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= size; i += 4) {
            s0 += (double) x[i] * x[i] * w[i];
            s1 += (double) x[i + 1] * x[i + 1] * w[i + 1];
            s2 += (double) x[i + 2] * x[i + 2] * w[i + 2];
            s3 += (double) x[i + 3] * x[i + 3] * w[i + 3];
        }
        for (; i < size; i++) {
            s0 += (double) x[i] * x[i] * w[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
