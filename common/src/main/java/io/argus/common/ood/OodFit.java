package io.argus.common.ood;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.image.InputSpec;

/**
 * Fits a bundle's {@link OodReference} when the bundle is made: class means and one shared
 * covariance of the penultimate-layer embedding on the images the model was trained on, and the
 * threshold at a percentile of the scores of held-out images of the same kind.
 */
public final class OodFit {

    /**
     * @param percentile share of held-out images that must score under the threshold; 0.975 keeps
     *                   the images sent to review for this reason near 2.5% (measured in
     *                   {@code docs/serving.md})
     * @param shrinkage  how far the covariance is pulled towards a multiple of the identity, in
     *                   [0, 1]: ReLU embeddings have units that are (nearly) always zero, whose
     *                   variance would otherwise be zero and the covariance singular
     * @param maxFitImages at most this many images fit the means and covariance (the first ones)
     */
    public record Settings(double percentile, double shrinkage, int maxFitImages) {
        public static final Settings DEFAULTS = new Settings(0.975, 0.1, 20_000);
    }

    /** Embeddings are computed this many images at a time. */
    private static final int BATCH = 256;

    private OodFit() {
    }

    /**
     * The reference of {@code network}: means and covariance over {@code fit} ({@code fitClasses[i]}
     * the class of image i, of {@code classes}), threshold over {@code held} ({@code heldCount}
     * images; without any, over {@code fit}). Null when the network's last layer reads more than one vertex (no embedding).
     */
    public static OodReference fit(Model network, InputSpec spec, float[] fit, int[] fitClasses, int classes,
                                   float[] held, int heldCount, Settings settings) {
        int n = Math.min(fitClasses.length, settings.maxFitImages());
        float[][] e = embeddings(network, spec, fit, n);
        if (e == null || n == 0) {
            return null;
        }
        int d = e[0].length;
        double[][] mean = new double[classes][];
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            int c = fitClasses[i];
            if (mean[c] == null) {
                mean[c] = new double[d];
            }
            count[c]++;
            for (int k = 0; k < d; k++) {
                mean[c][k] += e[i][k];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (mean[c] != null) {
                for (int k = 0; k < d; k++) {
                    mean[c][k] /= count[c];
                }
            }
        }
        double[][] cov = new double[d][d];
        double[] diff = new double[d];
        for (int i = 0; i < n; i++) {
            double[] m = mean[fitClasses[i]];
            for (int k = 0; k < d; k++) {
                diff[k] = e[i][k] - m[k];
            }
            for (int r = 0; r < d; r++) {
                for (int c = 0; c <= r; c++) {
                    cov[r][c] += diff[r] * diff[c];
                }
            }
        }
        double trace = 0;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c <= r; c++) {
                cov[r][c] /= n;
                cov[c][r] = cov[r][c];
            }
            trace += cov[r][r];
        }
        double floor = Math.max(trace / d, 1e-6);
        double a = settings.shrinkage();
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                cov[r][c] = (1 - a) * cov[r][c] + (r == c ? a * floor + 1e-6 * floor : 0);
            }
        }
        double[][] w = invertLower(cholesky(cov));
        float[] whitening = new float[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c <= r; c++) {
                whitening[r * d + c] = (float) w[r][c];
            }
        }
        List<float[]> means = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            if (mean[c] == null) {
                means.add(null);
                continue;
            }
            float[] z = new float[d];
            for (int r = 0; r < d; r++) {
                double s = 0;
                for (int k = 0; k <= r; k++) {
                    s += whitening[r * d + k] * mean[c][k];
                }
                z[r] = (float) s;
            }
            means.add(z);
        }
        OodReference unfitted = new OodReference(OodReference.MAHALANOBIS, d, whitening, means, Double.NaN,
                settings.percentile(), n, heldCount);
        OodScorer scorer = new OodScorer(unfitted);
        // Without held-out images, the fit images set the threshold: it then sits lower than it should.
        double[] scores = scorer.scores(heldCount > 0 ? embeddings(network, spec, held, heldCount) : e);
        double threshold = quantile(scores, settings.percentile());
        return new OodReference(OodReference.MAHALANOBIS, d, whitening, means, threshold, settings.percentile(), n,
                heldCount);
    }

    /** The {@code q} quantile of {@code values} (nearest rank); NaN for none. */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** The penultimate-layer embeddings of the first {@code count} images, by DL4J; null if the network has none. */
    public static float[][] embeddings(Model network, InputSpec spec, float[] images, int count) {
        int size = spec.size();
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += BATCH) {
            int k = Math.min(BATCH, count - from);
            float[] chunk = Arrays.copyOfRange(images, from * size, (from + k) * size);
            INDArray x = Nd4j.create(chunk, new long[] {k, spec.channels(), spec.height(), spec.width()}, 'c');
            INDArray e = Dl4jClassifier.embedding(network, x);
            if (e == null) {
                return null;
            }
            System.arraycopy(e.toFloatMatrix(), 0, out, from, k);
        }
        return out;
    }

    private static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalStateException("the embedding covariance is not positive definite");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[][] invertLower(double[][] l) {
        int d = l.length;
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) {
            inv[i][i] = 1 / l[i][i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[i][k] * inv[k][j];
                }
                inv[i][j] = s / l[i][i];
            }
        }
        return inv;
    }
}
