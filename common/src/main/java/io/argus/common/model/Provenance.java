package io.argus.common.model;

import java.time.Instant;

/**
 * Where a model version came from.
 *
 * @param baseModel       what training started from ({@code scratch}, {@code argus v3}, {@code zoo:resnet50})
 * @param strategy        how it was trained ({@code pretrain}, {@code frozen}, {@code finetune}, {@code scratch})
 * @param dataset         the data it saw
 * @param trainingSeconds wall time of training
 * @param architecture    the network family ({@code fashion-cnn}, {@code squeezenet}, ...), for later transfer
 * @param trainableParams parameters training changed (the rest were frozen)
 * @param labelsUpTo      the newest label of argus.labels it was trained on, or null if not trained on labels
 * @param pruning         what pruning after training removed, or null if the model was not pruned
 */
public record Provenance(String baseModel, String strategy, String dataset, int trainSamples, int validationSamples,
                         int testSamples, int epochs, double trainingSeconds, String architecture,
                         long trainableParams, Instant labelsUpTo, Pruning pruning) {

    /** Provenance of a model that was not pruned. */
    public Provenance(String baseModel, String strategy, String dataset, int trainSamples, int validationSamples,
                      int testSamples, int epochs, double trainingSeconds, String architecture,
                      long trainableParams, Instant labelsUpTo) {
        this(baseModel, strategy, dataset, trainSamples, validationSamples, testSamples, epochs, trainingSeconds,
                architecture, trainableParams, labelsUpTo, null);
    }
}
