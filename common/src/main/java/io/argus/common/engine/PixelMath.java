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
        addWeightedRows(p, basisByInput, x, 1);
    }

    /** {@code x} becomes its residual: minus the components weighted by the projection {@code p}. */
    private void subtractReconstruction(float[] p, float[] x) {
        addWeightedRows(x, basis, p, -1);
    }

    /** {@code acc[i] += sign x weights[r] x rows[r][i]} over every row r, {@value #ROWS_PER_PASS} rows per pass. */
    private static void addWeightedRows(float[] acc, float[][] rows, float[] weights, float sign) {
        int n = acc.length;
        int r = 0;
        for (; r + ROWS_PER_PASS <= rows.length; r += ROWS_PER_PASS) {
            float w0 = sign * weights[r];
            float w1 = sign * weights[r + 1];
            float w2 = sign * weights[r + 2];
            float w3 = sign * weights[r + 3];
            float[] r0 = rows[r];
            float[] r1 = rows[r + 1];
            float[] r2 = rows[r + 2];
            float[] r3 = rows[r + 3];
            for (int i = 0; i < n; i++) {
                acc[i] += w0 * r0[i] + w1 * r1[i] + w2 * r2[i] + w3 * r3[i];
            }
        }
        for (; r < rows.length; r++) {
            float w = sign * weights[r];
            float[] row = rows[r];
            for (int i = 0; i < n; i++) {
                acc[i] += w * row[i];
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
