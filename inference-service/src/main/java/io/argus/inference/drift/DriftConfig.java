package io.argus.inference.drift;

import io.argus.common.drift.DriftDetector;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code argus.inference.drift.*}: drift per sensor, without labels (see docs/serving.md, "Drift
 * per sensor", for how the defaults were chosen and what they were measured to do).
 */
@ConfigMapping(prefix = "argus.inference.drift")
public interface DriftConfig {

    /** Watch each sensor's answers for drift. A model whose bundle has no reference is served with drift off. */
    @WithDefault("true")
    boolean enabled();

    /** How many of a sensor's latest images its score is over (a sliding window, counted in images). */
    @WithDefault("200")
    int window();

    /** No score, and no flag, before a sensor's window holds this many images. */
    @WithDefault("150")
    int minSamples();

    /**
     * A score at or above this flags a sensor: the largest of the PSI of confidence, the PSI of
     * predicted classes and, with an embedding reference, the embedding part on the PSI's scale
     * (see {@code DriftDetector}).
     */
    @WithDefault("0.25")
    double threshold();

    /** A flagged sensor is cleared when its score falls under this (below the threshold: no flapping). */
    @WithDefault("0.10")
    double clearBelow();

    /**
     * The embedding part of the score flags a sensor at this mean over dimensions of the squared
     * distance of its window's mean embedding from the reference's, in standard errors (about 1 when
     * nothing changed; fitted on ordinary cameras with {@code ./argus drift-report}).
     */
    @WithDefault("8.0")
    double embeddingThreshold();

    /** The most sensors watched per replica; images of sensors beyond it are not watched (counted). */
    @WithDefault("10000")
    int maxSensors();

    /** The most sensors with gauges of their own; the count of drifted sensors covers the others. */
    @WithDefault("100")
    int sensorTagLimit();

    /**
     * The share of a drifted sensor's confident results sampled into review (instead of
     * {@code argus.inference.review.random-rate}), within the review caps.
     */
    @WithDefault("0.2")
    double reviewRate();

    default DriftDetector.Settings settings() {
        return new DriftDetector.Settings(window(), minSamples(), threshold(), clearBelow(), embeddingThreshold());
    }
}
