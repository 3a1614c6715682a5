package io.argus.trainer.runs;

/** Where a training run is. */
public enum Phase {
    QUEUED,
    /** Reading argus.labels to its end. */
    SNAPSHOT,
    /** Loading the base, decoding and splitting the samples. */
    PREPARING,
    /** Training the head on a frozen feature extractor (frozen, finetune phase one). */
    TRAINING_HEAD,
    /** Training the top block(s) and head at the lower rate (finetune phase two). */
    FINE_TUNING,
    /** Training everything from random weights (scratch). */
    TRAINING,
    /** Removing filters in steps, each followed by recovery fine-tuning (runs with {@code prune}). */
    PRUNING,
    /** Candidate and champion on the held-out samples. */
    EVALUATING,
    /** Storing the candidate and deciding. */
    GATING,
    DONE,
    FAILED;

    public boolean finished() {
        return this == DONE || this == FAILED;
    }
}
