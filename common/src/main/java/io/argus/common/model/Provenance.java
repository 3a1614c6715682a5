package io.argus.common.model;

/**
 * Where a model version came from.
 *
 * @param baseModel        what training started from ({@code scratch}, a bundle, a zoo model)
 * @param strategy         how it was trained ({@code pretrain}, {@code frozen}, {@code finetune}, {@code scratch})
 * @param dataset          the data it saw
 * @param trainingSeconds  wall time of training
 */
public record Provenance(String baseModel, String strategy, String dataset, int trainSamples, int validationSamples,
                         int testSamples, int epochs, double trainingSeconds) {
}
