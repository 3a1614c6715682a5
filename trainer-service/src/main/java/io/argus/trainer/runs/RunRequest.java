package io.argus.trainer.runs;

import java.util.Optional;

import io.argus.learning.pruning.PruneOptions;

/**
 * What {@code POST /api/training-runs} may set; anything left out takes the configured default.
 *
 * @param base     {@code champion}, a version, or {@code zoo:squeezenet|resnet50|vgg16}
 * @param strategy {@code frozen}, {@code finetune} or {@code scratch}
 * @param prune    prune the trained model before it is evaluated and gated; null: no pruning
 */
public record RunRequest(String base, String strategy, Integer maxEpochs, Integer minSteps, Double headLearningRate,
                         Double fineTuneLearningRate, Prune prune) {

    public static final RunRequest DEFAULTS = new RunRequest(null, null, null, null, null, null, null);

    /**
     * {@code "prune": {"target": 0.5, "measure": "params", "tolerance": 0.01, "step": 0.2,
     * "recoveryEpochs": 1, "channelMultiple": 16}}; only the target is required (see {@link PruneOptions}).
     */
    public record Prune(Double target, String measure, Double tolerance, Double step, Integer recoveryEpochs,
                        Integer channelMultiple) {
    }

    /** The pruning options, checked; empty without {@code prune}. */
    public Optional<PruneOptions> pruneOptions() {
        return prune == null ? Optional.empty()
                : Optional.of(PruneOptions.of(prune.target(), prune.measure(), prune.tolerance(), prune.step(),
                prune.recoveryEpochs(), prune.channelMultiple()));
    }
}
