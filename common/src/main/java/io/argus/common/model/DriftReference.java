package io.argus.common.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a model's answers look like on data it was judged on: the reference a sensor's recent
 * answers are compared with to tell drift without labels. Written into the bundle when the bundle
 * is made (pretraining, training runs); a bundle made before has none and is served without drift.
 *
 * @param data            what the statistics were taken on, in words
 * @param samples         how many images
 * @param confidenceCuts  the cut points of the confidence (max probability) bins, ascending: the
 *                        reference's own quantiles, so each bin holds about the same share of it (a
 *                        confident model puts most answers near 1, where equal-width bins would put
 *                        them all into one); bin {@code i} holds confidences above {@code i} cuts
 * @param confidence      the share of the reference in each confidence bin ({@code cuts + 1} of them)
 * @param classes         the share of each predicted class, index-aligned with the model's labels
 * @param embedding       the per-dimension mean and variance of the penultimate-layer embedding on the same
 *                        images; null when the network has none or the bundle was made before bundles
 *                        carried it (the embedding part of drift is then off)
 */
public record DriftReference(String data, int samples, List<Double> confidenceCuts, List<Double> confidence,
                             List<Double> classes, Embedding embedding) {

    /**
     * The penultimate-layer embedding on the reference images, one entry per dimension: what a
     * sensor's mean embedding over its window is compared with.
     *
     * @param mean     the mean of each dimension
     * @param variance the variance of each dimension (population, over the reference's images)
     */
    public record Embedding(List<Double> mean, List<Double> variance) {

        public Embedding {
            mean = List.copyOf(mean);
            variance = List.copyOf(variance);
            if (mean.isEmpty() || mean.size() != variance.size()) {
                throw new IllegalArgumentException("an embedding summary needs a mean and a variance per dimension");
            }
        }

        /** The summary of {@code rows} embeddings (one row per image, all of the same width). */
        public static Embedding of(float[][] rows) {
            if (rows.length == 0) {
                throw new IllegalArgumentException("an embedding summary needs samples");
            }
            int d = rows[0].length;
            double[] sum = new double[d];
            for (float[] r : rows) {
                for (int k = 0; k < d; k++) {
                    sum[k] += r[k];
                }
            }
            double[] squares = new double[d];
            List<Double> mean = new ArrayList<>(d);
            for (int k = 0; k < d; k++) {
                double m = sum[k] / rows.length;
                mean.add(m);
                for (float[] r : rows) {
                    squares[k] += (r[k] - m) * (r[k] - m);
                }
            }
            List<Double> variance = new ArrayList<>(d);
            for (int k = 0; k < d; k++) {
                variance.add(squares[k] / rows.length);
            }
            return new Embedding(mean, variance);
        }

        public int dimensions() {
            return mean.size();
        }
    }

    /** Confidence bins in a reference made by {@link #of}: deciles. */
    public static final int CONFIDENCE_BINS = 10;

    public DriftReference {
        confidenceCuts = List.copyOf(confidenceCuts);
        confidence = List.copyOf(confidence);
        classes = List.copyOf(classes);
        if (confidence.size() != confidenceCuts.size() + 1) {
            throw new IllegalArgumentException("a drift reference needs one more confidence share than cuts");
        }
    }

    /** The statistics of a model's probabilities ({@code samples} rows of one probability per class). */
    public static DriftReference of(float[][] probabilities, String data) {
        return of(probabilities, null, data);
    }

    /**
     * The statistics of a model's probabilities and, when {@code embeddings} is not null, of its
     * penultimate-layer embeddings on the same images (row {@code i} of both is image {@code i}).
     */
    public static DriftReference of(float[][] probabilities, float[][] embeddings, String data) {
        if (embeddings != null && embeddings.length != probabilities.length) {
            throw new IllegalArgumentException("a drift reference needs the embedding of every image it was taken on");
        }
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("a drift reference needs samples");
        }
        int n = probabilities.length;
        int k = probabilities[0].length;
        double[] confidences = new double[n];
        double[] classes = new double[k];
        for (int i = 0; i < n; i++) {
            int best = ConfusionMatrix.argMax(probabilities[i]);
            confidences[i] = probabilities[i][best];
            classes[best]++;
        }
        double[] sorted = confidences.clone();
        Arrays.sort(sorted);
        List<Double> cuts = new ArrayList<>();
        for (int b = 1; b < CONFIDENCE_BINS; b++) {
            double cut = sorted[Math.min(n - 1, (int) Math.floor((double) b * n / CONFIDENCE_BINS))];
            // Ties (many answers at exactly the same confidence) would make empty bins: one cut each,
            // and none at the highest confidence, whose bin above would be empty.
            if (cut < sorted[n - 1] && (cuts.isEmpty() || cut > cuts.get(cuts.size() - 1))) {
                cuts.add(cut);
            }
        }
        double[] shares = new double[cuts.size() + 1];
        for (double c : confidences) {
            shares[bin(cuts, c)]++;
        }
        return new DriftReference(data, n, cuts, fractions(shares, n), fractions(classes, n),
                embeddings == null ? null : Embedding.of(embeddings));
    }

    /** The confidence bin of {@code confidence}: how many cuts it is above. */
    public int confidenceBin(double confidence) {
        return bin(confidenceCuts, confidence);
    }

    public int confidenceBins() {
        return confidence.size();
    }

    private static int bin(List<Double> cuts, double c) {
        int lo = 0;
        int hi = cuts.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c > cuts.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static List<Double> fractions(double[] counts, int n) {
        List<Double> out = new ArrayList<>(counts.length);
        for (double c : counts) {
            out.add(c / n);
        }
        return out;
    }
}
