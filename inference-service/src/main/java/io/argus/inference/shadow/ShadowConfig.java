package io.argus.inference.shadow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code argus.inference.shadow.*}: how a {@code SHADOW} candidate runs beside the champion (see
 * docs/serving.md, "Shadow candidates"). Whether a candidate runs in shadow at all, and for how
 * long, is the trainer's decision: it announces one on {@code argus.models}. These settings bound
 * what following it costs inference.
 */
@ConfigMapping(prefix = "argus.inference.shadow")
public interface ShadowConfig {

    /**
     * The share of images the candidate also classifies, 0 to 1. Which images is a fixed function
     * of the image id, so replicas and restarts pick the same ones; 0 runs no candidate at all.
     */
    @WithDefault("1.0")
    double share();

    /**
     * Committed batches waiting for the candidate. When the candidate falls this far behind, the
     * next batches are not shadowed (counted in {@code argus_shadow_dropped_total}): the champion
     * never waits for it.
     */
    @WithDefault("4")
    int queueBatches();

    /** The most sensors with agreement counts of their own; the others are counted as {@code other}. */
    @WithDefault("100")
    int sensorTagLimit();
}
