package io.argus.common.model;

import java.util.List;

import io.argus.common.engine.OodScorer;

/**
 * What a model bundle records about its training data so that served images can be scored for
 * how unlike it they are (the manifest's {@code ood} field; absent in bundles made before it).
 * Several component scores, each fitted on the model's training images (see {@link OodScorer}),
 * are put on one scale by ordinary held-out images, and the served score is the largest of them:
 * an image is unlike the training data when any component finds it so (see {@code
 * docs/serving.md}, "Images unlike the training data", for which components and why).
 *
 * @param score      how the components are combined: {@value #MAX_Z}
 * @param embedding  the penultimate-layer embedding's class means and shared covariance; null if
 *                   the network has no single embedding
 * @param logits     the last layer's weights, so the energy of the logits is computed from the
 *                   embedding; null if the last layer has none
 * @param pixels     principal components of the network's input on the training images; null for
 *                   inputs larger than {@link OodFit#MAX_PIXELS}
 * @param scales     per component served, in order, where ordinary held-out images put it
 * @param threshold  combined scores over it are unlike the training data
 * @param percentile the share of held-out ordinary images under {@code threshold} when it was fitted
 * @param fitImages  training images the components were fitted on
 * @param thresholdImages held-out images the scales and the threshold were fitted on
 */
public record OodReference(String score, Embedding embedding, Logits logits, Pixels pixels, List<Scale> scales,
                           double threshold, double percentile, int fitImages, int thresholdImages) {

    /** The largest of the components' {@link Scale}d scores. */
    public static final String MAX_Z = "max-z";

    /**
     * @param features  the embedding's width
     * @param whitening {@code features x features}, row-major, lower triangular: the inverse of the
     *                  Cholesky factor of the shared (shrunk) covariance, so the squared distance is
     *                  {@code |whitening * e - mean|^2}
     * @param means     per class index, its mean embedding already multiplied by {@code whitening};
     *                  null for a class the fit had no image of
     */
    public record Embedding(int features, float[] whitening, List<float[]> means) {
    }

    /**
     * @param weights {@code classes x features}, row-major: logit c is {@code weights[c] . e + bias[c]}
     * @param clip    ReAct's bound: each embedding unit is clipped to at most this (a high percentile
     *                of the training images' activations) before the logits of {@code energy-react};
     *                null in bundles fitted before it
     */
    public record Logits(int features, int classes, float[] weights, float[] bias, Double clip) {
    }

    /**
     * @param size       floats per input
     * @param mean       the mean input
     * @param components rows of {@code basis}
     * @param basis      {@code components x size}, row-major, orthonormal: the directions of most variance
     * @param variances  per component, the variance of the training inputs along it
     * @param residualVariances per input float, the mean square of the training inputs' residual
     *                   (what the components leave unexplained) there, raised by a floor: where
     *                   training inputs never differ from their reconstruction (a black background),
     *                   any difference weighs much
     */
    public record Pixels(int size, float[] mean, int components, float[] basis, float[] variances,
                         float[] residualVariances) {
    }

    /**
     * One component on the common scale: {@code (raw - median) / (high - median)}, so the ordinary
     * held-out images' median maps to 0 and their {@link OodFit#SCALE_QUANTILE} quantile to 1.
     *
     * @param component one of {@link OodScorer#COMPONENTS}
     */
    public record Scale(String component, double median, double high) {

        public double apply(double raw) {
            return (raw - median) / Math.max(high - median, 1e-12);
        }
    }
}
