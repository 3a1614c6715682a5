package io.argus.common.ood;

import java.util.List;

/**
 * Scores embeddings against a bundle's {@link OodReference}: the Mahalanobis distance to the
 * nearest class mean. Costs {@code features^2 + classes * features} multiply-adds per image, which
 * is nothing beside the forward pass.
 */
public final class OodScorer {

    private final OodReference reference;
    private final int d;
    private final float[] w;
    private final List<float[]> means;

    public OodScorer(OodReference reference) {
        if (!OodReference.MAHALANOBIS.equals(reference.score())) {
            throw new IllegalArgumentException("unknown out-of-distribution score '" + reference.score() + "'");
        }
        this.reference = reference;
        this.d = reference.features();
        this.w = reference.whitening();
        this.means = reference.means();
        if (w.length != d * d) {
            throw new IllegalArgumentException("a whitening of " + w.length + " values for " + d + " features");
        }
    }

    public OodReference reference() {
        return reference;
    }

    /** Scores over it are unlike the training data. */
    public double threshold() {
        return reference.threshold();
    }

    /** One score per embedding row. */
    public double[] scores(float[][] embeddings) {
        double[] out = new double[embeddings.length];
        for (int i = 0; i < embeddings.length; i++) {
            out[i] = score(embeddings[i]);
        }
        return out;
    }

    /** The distance of one embedding to the nearest class mean, in the shared covariance's units. */
    public double score(float[] embedding) {
        if (embedding.length != d) {
            throw new IllegalArgumentException("an embedding of " + embedding.length + " features; the model's has " + d);
        }
        double[] z = new double[d];
        for (int r = 0; r < d; r++) {
            double s = 0;
            int row = r * d;
            for (int c = 0; c <= r; c++) { // lower triangular
                s += w[row + c] * embedding[c];
            }
            z[r] = s;
        }
        double best = Double.POSITIVE_INFINITY;
        for (float[] m : means) {
            if (m == null) {
                continue;
            }
            double s = 0;
            for (int k = 0; k < d; k++) {
                double diff = z[k] - m[k];
                s += diff * diff;
            }
            best = Math.min(best, s);
        }
        return Math.sqrt(best);
    }
}
