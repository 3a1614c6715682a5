package io.argus.common.ood;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.engine.OodScorer;
import io.argus.common.image.InputSpec;
import io.argus.common.model.OodReference;

/**
 * Fits a bundle's {@link OodReference} when the bundle is made: each component's statistics on
 * the images the model was trained on, then, on held-out images of the same kind (never on images
 * of other domains), where each component's ordinary scores lie and the threshold of the largest.
 */
public final class OodFit {

    /**
     * Inputs with more floats than this (the zoo bases' 224 x 224 x 3) get no pixel components: a
     * principal component fit over them would cost more than the rest of a run.
     */
    public static final int MAX_PIXELS = 4096;

    /** Each component is scaled so that this quantile of the ordinary held-out images maps to 1. */
    public static final double SCALE_QUANTILE = 0.95;

    /**
     * @param percentile      share of held-out images that must score under the threshold: 0.96
     *                        leaves room under the 5% for the difference between the
     *                        held-out images and the images served (measured in {@code docs/serving.md})
     * @param shrinkage       how far the embedding covariance is pulled towards a multiple of the
     *                        identity, in [0, 1]: ReLU embeddings have units that are (nearly) always
     *                        zero, whose variance would otherwise be zero and the covariance singular
     * @param maxFitImages    at most this many images fit the statistics (the first ones)
     * @param pixelComponents principal components of the input kept (at most a quarter of the fit images)
     * @param components      the components served, combined by their largest scaled score: the
     *                        energy and the pixel deviation, the pair that flagged the most images of
     *                        other domains on the half of them ood-report chooses by (docs/serving.md)
     * @param scaleQuantiles  per component, the quantile of the ordinary held-out scores its scale maps
     *                        to 1 (the others: {@link #SCALE_QUANTILE}); since one threshold is put on
     *                        the largest scaled score, this splits the ordinary images flagged among
     *                        the components: a higher quantile leaves a component fewer of them.
     *                        Served: the pixel deviation at 0.99, which leaves most of them to the
     *                        energy, the only component that catches digits (measured in docs/serving.md)
     */
    public record Settings(double percentile, double shrinkage, int maxFitImages, int pixelComponents,
                           List<String> components, Map<String, Double> scaleQuantiles) {
        public static final Settings DEFAULTS = new Settings(0.96, 0.1, 20_000, 50,
                List.of(OodScorer.ENERGY, OodScorer.PIXEL_DEVIATION), Map.of(OodScorer.PIXEL_DEVIATION, 0.99));

        public Settings withComponents(List<String> served) {
            return new Settings(percentile, shrinkage, maxFitImages, pixelComponents, served, scaleQuantiles);
        }

        public Settings withPercentile(double p) {
            return new Settings(p, shrinkage, maxFitImages, pixelComponents, components, scaleQuantiles);
        }
    }

    /** The floor of the residual variances, as a share of their mean: as the embedding covariance's shrinkage. */
    static final double RESIDUAL_FLOOR = 0.1;

    /** ReAct's clip is this percentile of the training images' embedding activations (the paper's 90th). */
    static final double REACT_PERCENTILE = 0.9;

    /** Embeddings are computed this many images at a time. */
    private static final int BATCH = 256;

    private OodFit() {
    }

    /**
     * The reference of {@code network}: statistics over {@code fit} ({@code fitClasses[i]} the class
     * of image i, of {@code classes}), scales and threshold over {@code held} ({@code heldCount}
     * images; without any, over {@code fit}, which puts the threshold lower than it should be).
     * Null when none of the components asked for can be fitted.
     */
    public static OodReference fit(Model network, InputSpec spec, float[] fit, int[] fitClasses, int classes,
                                   float[] held, int heldCount, Settings settings) {
        OodReference parts = parts(network, spec, fit, fitClasses, classes, settings);
        if (parts == null) {
            return null;
        }
        boolean hasHeld = heldCount > 0;
        float[] heldInputs = hasHeld ? held : fit;
        int count = hasHeld ? heldCount : parts.fitImages();
        float[][] heldEmbeddings = embeddings(network, spec, heldInputs, count);
        return serve(parts, settings.components(), settings.scaleQuantiles(), heldInputs, heldEmbeddings, count,
                settings.percentile(), hasHeld ? heldCount : 0);
    }

    /**
     * Every component's statistics over the fit images, none served yet (no scales, no threshold):
     * what {@link #serve} completes. Null if none can be fitted.
     */
    public static OodReference parts(Model network, InputSpec spec, float[] fit, int[] fitClasses, int classes,
                                     Settings settings) {
        int n = Math.min(fitClasses.length, settings.maxFitImages());
        if (n == 0) {
            return null;
        }
        float[][] e = embeddings(network, spec, fit, n);
        OodReference.Embedding embedding = e == null ? null : embedding(e, fitClasses, classes, n, settings);
        OodReference.Logits logits = e == null ? null : logits(network, e[0].length, reactClip(e, n));
        OodReference.Pixels pixels = spec.size() > MAX_PIXELS ? null
                : pixels(fit, spec.size(), n, Math.max(1, Math.min(settings.pixelComponents(), n / 4)));
        if (embedding == null && pixels == null) {
            return null;
        }
        return new OodReference(OodReference.MAX_Z, embedding, logits, pixels, List.of(), Double.NaN,
                settings.percentile(), n, 0);
    }

    /**
     * {@code parts} serving {@code components} (those it has statistics for): each scaled by the
     * held-out images' scores, the threshold at {@code percentile} of their largest.
     */
    public static OodReference serve(OodReference parts, List<String> components, Map<String, Double> scaleQuantiles,
                                     float[] heldInputs, float[][] heldEmbeddings, int heldCount, double percentile,
                                     int thresholdImages) {
        List<OodReference.Scale> scales = new ArrayList<>();
        float[][] rows = heldEmbeddings == null ? new float[heldCount][] : heldEmbeddings;
        for (String c : components) {
            if (OodScorer.available(parts, c)) {
                double[] raw = OodScorer.raw(parts, c, heldInputs, rows);
                scales.add(new OodReference.Scale(c, quantile(raw, 0.5),
                        quantile(raw, scaleQuantiles.getOrDefault(c, SCALE_QUANTILE))));
            }
        }
        if (scales.isEmpty()) {
            return null;
        }
        OodReference scaled = new OodReference(parts.score(), parts.embedding(), parts.logits(), parts.pixels(),
                List.copyOf(scales), Double.NaN, percentile, parts.fitImages(), thresholdImages);
        double threshold;
        try (OodScorer scorer = new OodScorer(scaled)) {
            threshold = quantile(scorer.scores(heldInputs, rows), percentile);
        }
        return new OodReference(parts.score(), parts.embedding(), parts.logits(), parts.pixels(), List.copyOf(scales),
                threshold, percentile, parts.fitImages(), thresholdImages);
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

    /** Class means and one shared covariance, shrunk, as a whitening (the inverse Cholesky factor). */
    private static OodReference.Embedding embedding(float[][] e, int[] fitClasses, int classes, int n,
                                                    Settings settings) {
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
        return new OodReference.Embedding(d, whitening, means);
    }

    /**
     * ReAct's clip: the {@link #REACT_PERCENTILE} percentile of every activation of the first {@code n}
     * embeddings, all units pooled, as in the paper.
     */
    static double reactClip(float[][] e, int n) {
        int d = e[0].length;
        double[] all = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                all[i * d + k] = e[i][k];
            }
        }
        return quantile(all, REACT_PERCENTILE);
    }

    /** The last layer's weights and bias, if it is a dense layer reading the {@code features} of the embedding. */
    private static OodReference.Logits logits(Model network, int features, double clip) {
        Layer last;
        if (network instanceof MultiLayerNetwork mln) {
            last = mln.getOutputLayer();
        } else {
            ComputationGraph graph = (ComputationGraph) network;
            last = graph.getLayer(graph.getConfiguration().getNetworkOutputs().get(0));
        }
        INDArray w = last == null ? null : last.getParam("W");
        INDArray b = last == null ? null : last.getParam("b");
        if (w == null || b == null || w.rank() != 2 || w.size(0) != features) {
            return null;
        }
        int classes = (int) w.size(1);
        float[][] nInByOut = w.castTo(DataType.FLOAT).toFloatMatrix();
        float[] weights = new float[classes * features];
        for (int k = 0; k < features; k++) {
            for (int c = 0; c < classes; c++) {
                weights[c * features + k] = nInByOut[k][c];
            }
        }
        return new OodReference.Logits(features, classes, weights, b.castTo(DataType.FLOAT).toFloatVector(), clip);
    }

    /** The mean input and the {@code k} principal components of the first {@code n} inputs. */
    static OodReference.Pixels pixels(float[] inputs, int size, int n, int k) {
        try (INDArray x = Nd4j.create(Arrays.copyOf(inputs, n * size), new long[] {n, size}, 'c')
                .castTo(DataType.DOUBLE)) {
            INDArray mean = x.mean(0);
            x.subiRowVector(mean);
            Principal p = principal(x, n, size);
            double[] v = p.values();
            Integer[] order = new Integer[v.length];
            for (int i = 0; i < v.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
            k = Math.min(k, v.length);
            // Directions the training inputs (nearly) never vary along are no part of their subspace:
            // an input that moves along one is unlike them, which the residual then says.
            while (k > 1 && v[order[k - 1]] < 1e-4 * v[order[0]]) {
                k--;
            }
            float[] basis = new float[k * size];
            float[] variances = new float[k];
            for (int j = 0; j < k; j++) {
                System.arraycopy(p.direction(order[j]), 0, basis, j * size, size);
                variances[j] = (float) Math.max(v[order[j]], 0);
            }
            return new OodReference.Pixels(size, mean.castTo(DataType.FLOAT).toFloatVector(), k, basis, variances,
                    residualVariances(x, basis, k, size));
        }
    }

    /** The eigenvalues of the covariance of the centred rows of {@code x}, and a way to its unit eigenvectors. */
    private record Principal(double[] values, IntFunction<float[]> directions) {

        float[] direction(int i) {
            return directions.apply(i);
        }
    }

    /**
     * The covariance's eigen-decomposition, from the smaller of its two forms: with fewer images
     * than inputs (a training run on a few hundred labels) the {@code n x n} Gram matrix has the
     * same non-zero eigenvalues, and its eigenvectors mapped through {@code x} are the
     * covariance's; a 784 x 784 decomposition would cost a second a run for nothing.
     */
    private static Principal principal(INDArray x, int n, int size) {
        if (n >= size) {
            INDArray cov = x.transpose().mmul(x).divi(n);
            INDArray values = Eigen.symmetricGeneralizedEigenvalues(cov, true); // cov now holds the vectors, by column
            return new Principal(values.toDoubleVector(),
                    i -> cov.getColumn(i).castTo(DataType.FLOAT).toFloatVector());
        }
        INDArray gram = x.mmul(x.transpose()).divi(n);
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(gram, true); // gram now holds the vectors
        return new Principal(values.toDoubleVector(), i -> {
            INDArray direction = x.transpose().mmul(gram.getColumn(i).reshape(n, 1));
            double norm = direction.norm2Number().doubleValue();
            return direction.divi(Math.max(norm, 1e-12)).castTo(DataType.FLOAT).toFloatVector();
        });
    }

    /**
     * Per input float, the mean square of the centred inputs {@code x} minus their projection on
     * the {@code k} rows of {@code basis}, raised by {@link #RESIDUAL_FLOOR} of their mean (else a
     * pixel no training image ever lit would make any light there infinitely unlike).
     */
    private static float[] residualVariances(INDArray x, float[] basis, int k, int size) {
        try (INDArray b = Nd4j.create(basis, new long[] {k, size}, 'c').castTo(DataType.DOUBLE)) {
            INDArray residual = x.sub(x.mmul(b.transpose()).mmul(b));
            double[] v = residual.muli(residual).mean(0).toDoubleVector();
            double floor = RESIDUAL_FLOOR * Arrays.stream(v).average().orElse(0) + 1e-12;
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = (float) (v[i] + floor);
            }
            return out;
        }
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
