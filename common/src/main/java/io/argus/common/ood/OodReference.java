package io.argus.common.ood;

import java.util.List;

/**
 * What a model bundle records about its training data so that served images can be scored for
 * how unlike it they are (the manifest's {@code ood} field; absent in bundles made before it).
 * The score is the Mahalanobis distance of an image's penultimate-layer embedding to the nearest
 * class mean, under one covariance shared by the classes (see {@code docs/serving.md}, "Images
 * unlike the training data", for why this score and not the softmax confidence or the energy).
 *
 * @param score      what the score is: {@value #MAHALANOBIS}
 * @param features   the embedding's width
 * @param whitening  {@code features x features}, row-major: the inverse of the Cholesky factor of
 *                   the shared (shrunk) covariance, so the squared distance is
 *                   {@code |whitening * e - mean|^2}
 * @param means      per class index, its mean embedding already multiplied by {@code whitening};
 *                   null for a class the fit had no image of
 * @param threshold  scores over it are unlike the training data
 * @param percentile the share of held-out training-like images under {@code threshold} when it was fitted
 * @param fitImages  images the means and covariance were fitted on
 * @param thresholdImages held-out images the threshold was fitted on
 */
public record OodReference(String score, int features, float[] whitening, List<float[]> means, double threshold,
                           double percentile, int fitImages, int thresholdImages) {

    public static final String MAHALANOBIS = "mahalanobis";
}
