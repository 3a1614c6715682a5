package io.argus.common.model;

import java.time.Instant;

/**
 * Where a model version came from. Built with {@link #builder()}, so a call site says what it sets.
 *
 * @param baseModel       what training started from ({@code scratch}, {@code argus v3}, {@code zoo:resnet50})
 * @param strategy        how it was trained ({@code pretrain}, {@code frozen}, {@code finetune}, {@code scratch})
 * @param dataset         the data it saw, in words
 * @param trainingSeconds wall time of training
 * @param architecture    the network family ({@code fashion-cnn}, {@code squeezenet}, ...), for later transfer
 * @param trainableParams parameters training changed (the rest were frozen)
 * @param labelsUpTo      the newest label of argus.labels it was trained on, or null if not trained on labels
 * @param pruning         what pruning after training removed, or null if the model was not pruned
 * @param baseData        the dataset the first model of this line was trained on ({@code fashion-mnist}),
 *                        handed down to every version trained from it: its training split is replayed in
 *                        every run and its test split is the gate's reference slice; null when unknown
 *                        (an ImageNet base), which leaves runs without replay and without reference slice
 */
public record Provenance(String baseModel, String strategy, String dataset, int trainSamples, int validationSamples,
                         int testSamples, int epochs, double trainingSeconds, String architecture,
                         long trainableParams, Instant labelsUpTo, Pruning pruning, String baseData) {

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().base(baseModel).strategy(strategy).dataset(dataset)
                .samples(trainSamples, validationSamples, testSamples).training(epochs, trainingSeconds)
                .architecture(architecture).trainableParams(trainableParams).labelsUpTo(labelsUpTo).pruning(pruning).baseData(baseData);
    }

    /** Builds a {@link Provenance}; what is not set is empty (null or 0). */
    public static final class Builder {
        private String baseModel;
        private String strategy;
        private String dataset;
        private int trainSamples;
        private int validationSamples;
        private int testSamples;
        private int epochs;
        private double trainingSeconds;
        private String architecture;
        private long trainableParams;
        private Instant labelsUpTo;
        private Pruning pruning;
        private String baseData;

        private Builder() {
        }

        public Builder base(String baseModel) {
            this.baseModel = baseModel;
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder dataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder samples(int train, int validation, int test) {
            this.trainSamples = train;
            this.validationSamples = validation;
            this.testSamples = test;
            return this;
        }

        public Builder training(int epochs, double seconds) {
            this.epochs = epochs;
            this.trainingSeconds = seconds;
            return this;
        }

        public Builder architecture(String architecture) {
            this.architecture = architecture;
            return this;
        }

        public Builder trainableParams(long trainableParams) {
            this.trainableParams = trainableParams;
            return this;
        }

        public Builder labelsUpTo(Instant labelsUpTo) {
            this.labelsUpTo = labelsUpTo;
            return this;
        }

        public Builder pruning(Pruning pruning) {
            this.pruning = pruning;
            return this;
        }

        /** The dataset the line of models started from, e.g. {@code fashion-mnist}. */
        public Builder baseData(String baseData) {
            this.baseData = baseData;
            return this;
        }

        public Provenance build() {
            return new Provenance(baseModel, strategy, dataset, trainSamples, validationSamples, testSamples, epochs,
                    trainingSeconds, architecture, trainableParams, labelsUpTo, pruning, baseData);
        }
    }
}
