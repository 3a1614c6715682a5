package io.argus.trainer.runs;

/**
 * What {@code POST /api/training-runs} may set; anything left out takes the configured default.
 *
 * @param base     {@code champion}, a version, or {@code zoo:squeezenet|resnet50|vgg16}
 * @param strategy {@code frozen}, {@code finetune} or {@code scratch}
 */
public record RunRequest(String base, String strategy, Integer maxEpochs, Integer minSteps, Double headLearningRate,
                         Double fineTuneLearningRate) {

    public static final RunRequest DEFAULTS = new RunRequest(null, null, null, null, null, null);
}
