package io.argus.common.drift;

import io.argus.common.model.DriftReference;

/**
 * Drift of one sensor, without labels: the model's answers on the sensor's last {@code window}
 * images (the confidence, in the reference's bins, and the predicted class) against the
 * {@link DriftReference} of the model. The score is the larger of two population stability indexes
 * (PSI), one over the confidence bins and one over the predicted classes:
 * {@code PSI = sum over bins (p - q) ln(p / q)}, {@code p} the window's share, {@code q} the
 * reference's. A sensor is flagged when the score reaches {@code threshold} with at least
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
     */
    public record Settings(int window, int minSamples, double threshold, double clearBelow) {

        /** The defaults inference uses (see docs/serving.md#drift-per-sensor for why these). */
        public static final Settings DEFAULTS = new Settings(200, 150, 0.25, 0.10);

        public Settings {
            if (window < 1 || minSamples < 1 || minSamples > window) {
                throw new IllegalArgumentException("drift needs 1 <= min-samples <= window, not " + minSamples
                        + " and " + window);
            }
            if (!(clearBelow < threshold)) {
                throw new IllegalArgumentException("drift clears below " + clearBelow + ", which must be under its "
                        + "threshold " + threshold);
            }
        }
    }

    /** What an answer changed: {@code NONE}, or the sensor was just flagged or cleared. */
    public enum Transition { NONE, DRIFTED, CLEARED }

    /** A score and its two parts; NaN while the window holds fewer than {@code minSamples}. */
    public record Score(double score, double confidencePsi, double classPsi, int samples) {

        public static final Score NONE = new Score(Double.NaN, Double.NaN, Double.NaN, 0);

        public boolean known() {
            return !Double.isNaN(score);
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
    }

    /**
     * Takes one answer of the model for this sensor.
     *
     * @param predictedClass the index of the predicted label (a class the reference does not know counts as the
     *                       last one it knows: a model's classes do not change under one reference)
     * @param confidence     its probability
     */
    public Transition observe(int predictedClass, double confidence) {
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
        score = new Score(Math.max(c, k), c, k, size);
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
}
