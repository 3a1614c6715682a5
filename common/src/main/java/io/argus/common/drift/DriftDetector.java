package io.argus.common.drift;

import java.util.Arrays;

import io.argus.common.model.DriftReference;

/**
 * Drift of one sensor, without labels: the model's answers on the sensor's last {@code window}
 * images (the confidence, in the reference's bins, and the predicted class) against the
 * {@link DriftReference} of the model. The score is the larger of two population stability indexes
 * (PSI), one over the confidence bins and one over the predicted classes:
 * {@code PSI = sum over bins (p - q) ln(p / q)}, {@code p} the window's share, {@code q} the
 * reference's. When the reference has an embedding summary, a third part joins them: how far the
 * window's mean penultimate-layer embedding is from the reference's mean, in units of its standard
 * error, {@code z = mean over dimensions k of (m_k - mu_k)^2 / (var_k (1/n + 1/N))} ({@code n} the
 * window's images, {@code N} the reference's), about 1 when nothing changed; it is put on the PSI's
 * scale by {@code threshold / embeddingThreshold}, so it flags at {@code embeddingThreshold}. The
 * window's embedding sum is kept in blocks of {@link #BLOCKS}-th of the window (memory per sensor a
 * few embeddings, not a window of them), so the embedding part covers the last {@code window -
 * block} to {@code window} images. A sensor is flagged when the score reaches {@code threshold} with at least
 * {@code minSamples} images in its window, and cleared only when it falls under {@code clearBelow}
 * (hysteresis: a score hovering around the threshold does not flap).
 *
 * <p>Not thread-safe: one per sensor, fed by one thread.
 */
public final class DriftDetector {

    /**
     * @param window     how many of the sensor's latest images are compared with the reference
     * @param minSamples no score, and no flag, before the window holds this many
     * @param threshold  a score at or above this flags the sensor
     * @param clearBelow a flagged sensor is cleared when its score falls under this
     * @param embeddingThreshold the embedding statistic {@code z} (about 1 when nothing changed) that
     *                   flags a sensor: the embedding part is {@code z * threshold / embeddingThreshold}
     */
    public record Settings(int window, int minSamples, double threshold, double clearBelow,
                           double embeddingThreshold) {

        /** The defaults inference uses (see docs/serving.md#drift-per-sensor for why these). */
        public static final Settings DEFAULTS = new Settings(200, 150, 0.25, 0.10, EMBEDDING_THRESHOLD);

        public Settings {
            if (window < 1 || minSamples < 1 || minSamples > window) {
                throw new IllegalArgumentException("drift needs 1 <= min-samples <= window, not " + minSamples
                        + " and " + window);
            }
            if (!(clearBelow < threshold)) {
                throw new IllegalArgumentException("drift clears below " + clearBelow + ", which must be under its "
                        + "threshold " + threshold);
            }
            if (!(embeddingThreshold > 0)) {
                throw new IllegalArgumentException("the embedding threshold must be positive, not " + embeddingThreshold);
            }
        }

        /** As set, with the default embedding threshold. */
        public Settings(int window, int minSamples, double threshold, double clearBelow) {
            this(window, minSamples, threshold, clearBelow, EMBEDDING_THRESHOLD);
        }
    }

    /**
     * The default embedding threshold: measured with {@code ./argus drift-report} on ordinary
     * cameras (docs/serving.md#drift-per-sensor).
     */
    public static final double EMBEDDING_THRESHOLD = 8.0;

    /** The window's embedding sum is kept in this many blocks. */
    public static final int BLOCKS = 8;

    /** What an answer changed: {@code NONE}, or the sensor was just flagged or cleared. */
    public enum Transition { NONE, DRIFTED, CLEARED }

    /**
     * A score and its parts; NaN while the window holds fewer than {@code minSamples}. {@code embedding}
     * is the embedding part on the PSI's scale, NaN when the part is off (no summary in the
     * reference) or fewer than {@code minSamples} answers in the window came with an embedding.
     */
    public record Score(double score, double confidencePsi, double classPsi, double embedding, int samples) {

        public static final Score NONE = new Score(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

        public boolean known() {
            return !Double.isNaN(score);
        }

        /** The part that makes the score: {@code confidence}, {@code class} or {@code embedding}. */
        public String part() {
            if (!Double.isNaN(embedding) && embedding >= confidencePsi && embedding >= classPsi) {
                return "embedding";
            }
            return classPsi > confidencePsi ? "class" : "confidence";
        }
    }

    /**
     * A window's shares are smoothed by half an image per bin, so an empty bin is not infinitely
     * far from the reference; the reference's by the same floor for a bin it never saw.
     */
    private static final double PSEUDO_COUNT = 0.5;
    private static final double REFERENCE_FLOOR = 1e-4;

    private final DriftReference reference;
    private final Settings settings;
    private final int[] confidenceBins;
    private final int[] classes;
    private final int[] ringConfidence;
    private final int[] ringClass;
    private final double[] refConfidence;
    private final double[] refClasses;
    /** The embedding part: null when the reference has no summary. */
    private final EmbeddingWindow embedding;
    private int size;
    private int next;
    private boolean drifted;
    /** Read by metrics from other threads. */
    private volatile Score score = Score.NONE;

    public DriftDetector(DriftReference reference, Settings settings) {
        this.reference = reference;
        this.settings = settings;
        this.confidenceBins = new int[reference.confidenceBins()];
        this.classes = new int[reference.classes().size()];
        this.ringConfidence = new int[settings.window()];
        this.ringClass = new int[settings.window()];
        this.refConfidence = floored(reference.confidence().stream().mapToDouble(Double::doubleValue).toArray());
        this.refClasses = floored(reference.classes().stream().mapToDouble(Double::doubleValue).toArray());
        this.embedding = reference.embedding() == null ? null
                : new EmbeddingWindow(reference.embedding(), reference.samples(), settings.window());
    }

    /** Whether this detector scores the embedding (its reference has a summary). */
    public boolean watchesEmbedding() {
        return embedding != null;
    }

    /**
     * Takes one answer of the model for this sensor.
     *
     * @param predictedClass the index of the predicted label (a class the reference does not know counts as the
     *                       last one it knows: a model's classes do not change under one reference)
     * @param confidence     its probability
     */
    public Transition observe(int predictedClass, double confidence) {
        return observe(predictedClass, confidence, null);
    }

    /**
     * As {@link #observe(int, double)}, with the answer's penultimate-layer embedding (null when the
     * engine gave none: the answer then counts for the two PSIs only).
     */
    public Transition observe(int predictedClass, double confidence, float[] features) {
        if (embedding != null && features != null) {
            embedding.add(features);
        }
        int bin = reference.confidenceBin(confidence);
        int cls = Math.max(0, Math.min(classes.length - 1, predictedClass));
        if (size == ringConfidence.length) {
            confidenceBins[ringConfidence[next]]--;
            classes[ringClass[next]]--;
        } else {
            size++;
        }
        ringConfidence[next] = bin;
        ringClass[next] = cls;
        next = (next + 1) % ringConfidence.length;
        confidenceBins[bin]++;
        classes[cls]++;
        if (size < settings.minSamples()) {
            score = Score.NONE;
            return Transition.NONE;
        }
        double c = psi(confidenceBins, refConfidence, size);
        double k = psi(classes, refClasses, size);
        double e = embedding == null || embedding.count() < settings.minSamples() ? Double.NaN
                : embedding.z() * settings.threshold() / settings.embeddingThreshold();
        score = new Score(Double.isNaN(e) ? Math.max(c, k) : Math.max(e, Math.max(c, k)), c, k, e, size);
        if (!drifted && score.score() >= settings.threshold()) {
            drifted = true;
            return Transition.DRIFTED;
        }
        if (drifted && score.score() < settings.clearBelow()) {
            drifted = false;
            return Transition.CLEARED;
        }
        return Transition.NONE;
    }

    public boolean drifted() {
        return drifted;
    }

    /**
     * Starts flagged: a sensor flagged under the model before a swap stays flagged under the new one
     * until its window says otherwise, so a swap alone neither clears nor re-announces it.
     */
    public void carryDrifted() {
        drifted = true;
    }

    /** The score after the last answer. */
    public Score score() {
        return score;
    }

    public Settings settings() {
        return settings;
    }

    private static double psi(int[] counts, double[] reference, int n) {
        double smoothedN = n + PSEUDO_COUNT * counts.length;
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            double p = (counts[i] + PSEUDO_COUNT) / smoothedN;
            sum += (p - reference[i]) * Math.log(p / reference[i]);
        }
        return sum;
    }

    private static double[] floored(double[] shares) {
        double total = 0;
        for (int i = 0; i < shares.length; i++) {
            shares[i] = Math.max(shares[i], REFERENCE_FLOOR);
            total += shares[i];
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= total;
        }
        return shares;
    }

    /**
     * The window's embedding sum, in blocks: when a block fills, the oldest is dropped once the
     * blocks cover the window, so the sum covers between {@code window - block} and {@code window}
     * answers, at a memory of {@code BLOCKS + 2} embeddings per sensor instead of {@code window}.
     */
    static final class EmbeddingWindow {
        private final double[] mean;
        /** {@code 1 / var_k}, the variance floored (units a ReLU never fires have none). */
        private final double[] precision;
        private final double inverseReference;
        private final int blockSize;
        private final double[][] blocks;
        private final int[] blockCounts;
        private final double[] current;
        private final double[] total;
        private int currentCount;
        private int count;
        private int oldest;
        private int full;

        EmbeddingWindow(DriftReference.Embedding reference, int referenceSamples, int window) {
            int d = reference.dimensions();
            this.mean = reference.mean().stream().mapToDouble(Double::doubleValue).toArray();
            double[] var = reference.variance().stream().mapToDouble(Double::doubleValue).toArray();
            double meanVar = Arrays.stream(var).average().orElse(1);
            double floor = Math.max(VARIANCE_FLOOR * meanVar, 1e-12);
            this.precision = new double[d];
            for (int k = 0; k < d; k++) {
                precision[k] = 1 / Math.max(var[k], floor);
            }
            this.inverseReference = 1.0 / Math.max(1, referenceSamples);
            this.blockSize = Math.max(1, window / BLOCKS);
            int kept = Math.max(1, window / blockSize - 1);
            this.blocks = new double[kept][d];
            this.blockCounts = new int[kept];
            this.current = new double[d];
            this.total = new double[d];
        }

        void add(float[] e) {
            if (e.length != current.length) {
                throw new IllegalArgumentException("an embedding of " + e.length + " dimensions; the reference has "
                        + current.length);
            }
            for (int k = 0; k < e.length; k++) {
                current[k] += e[k];
                total[k] += e[k];
            }
            currentCount++;
            count++;
            if (currentCount < blockSize) {
                return;
            }
            // The current block is full: it takes the place of the oldest kept block once all are used.
            int slot;
            if (full < blocks.length) {
                slot = full++;
            } else {
                slot = oldest;
                oldest = (oldest + 1) % blocks.length;
                double[] old = blocks[slot];
                for (int k = 0; k < old.length; k++) {
                    total[k] -= old[k];
                }
                count -= blockCounts[slot];
            }
            System.arraycopy(current, 0, blocks[slot], 0, current.length);
            blockCounts[slot] = currentCount;
            Arrays.fill(current, 0);
            currentCount = 0;
        }

        int count() {
            return count;
        }

        /** Mean over dimensions of the squared distance of the window's mean, in its standard errors. */
        double z() {
            double n = count;
            double scale = 1 / (1 / n + inverseReference);
            double sum = 0;
            for (int k = 0; k < mean.length; k++) {
                double diff = total[k] / n - mean[k];
                sum += diff * diff * precision[k];
            }
            return sum * scale / mean.length;
        }
    }

    /** Variances under this share of the mean variance are raised to it. */
    private static final double VARIANCE_FLOOR = 1e-3;
}
