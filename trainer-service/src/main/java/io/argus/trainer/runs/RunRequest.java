package io.argus.trainer.runs;

import java.util.Optional;

import io.argus.common.error.ArgusException;
import io.argus.learning.pruning.PruneOptions;
import io.argus.learning.transfer.Strategy;

/**
 * What {@code POST /api/training-runs} may set; anything left out takes the configured default.
 * Fields the request does not have are refused (see {@code JsonBody}), and so are values a run
 * could not use, before the run starts.
 *
 * @param base     {@code champion}, a version, or {@code zoo:squeezenet|resnet50|vgg16}
 * @param strategy {@code calibrate}, {@code frozen}, {@code finetune} or {@code scratch}
 * @param replay   train on the base's data and earlier labels with the new ones (default true); false
 *                 trains on the labels alone, the old way, kept to show what the gate does with that
 * @param prune    prune the trained model before it is evaluated and gated; null: no pruning
 */
public record RunRequest(String base, String strategy, Integer maxEpochs, Integer minSteps, Double headLearningRate,
                         Double fineTuneLearningRate, Boolean replay, Prune prune) {

    public static final RunRequest DEFAULTS = new RunRequest(null, null, null, null, null, null, null, null);

    /**
     * {@code "prune": {"target": 0.5, "measure": "params", "tolerance": 0.01, "step": 0.2,
     * "recoveryEpochs": 1, "channelMultiple": 16}}; only the target is required (see {@link PruneOptions}).
     */
    public record Prune(Double target, String measure, Double tolerance, Double step, Integer recoveryEpochs,
                        Integer channelMultiple) {
    }

    /** Refuses, saying what is allowed, a request no run could carry out. */
    public void check() {
        if (strategy != null) {
            try {
                Strategy.parse(strategy);
            } catch (IllegalArgumentException e) {
                throw ArgusException.invalid("INVALID_REQUEST", e.getMessage());
            }
        }
        between("maxEpochs", maxEpochs, 1, 1000);
        between("minSteps", minSteps, 0, 1_000_000);
        rate("headLearningRate", headLearningRate);
        rate("fineTuneLearningRate", fineTuneLearningRate);
        pruneOptions();
    }

    /** The pruning options, checked; empty without {@code prune}. */
    public Optional<PruneOptions> pruneOptions() {
        if (prune == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PruneOptions.of(prune.target(), prune.measure(), prune.tolerance(), prune.step(),
                    prune.recoveryEpochs(), prune.channelMultiple()));
        } catch (IllegalArgumentException e) {
            throw ArgusException.invalid("INVALID_REQUEST", e.getMessage());
        }
    }

    private static void between(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ArgusException.invalid("INVALID_REQUEST", name + " must be between " + min + " and " + max
                    + ", not " + value);
        }
    }

    private static void rate(String name, Double value) {
        if (value != null && (value.isNaN() || value.isInfinite() || value <= 0 || value > 1)) {
            throw ArgusException.invalid("INVALID_REQUEST", name + " must be a number above 0 and at most 1, not "
                    + value);
        }
    }
}
