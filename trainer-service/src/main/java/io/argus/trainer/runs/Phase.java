package io.argus.trainer.runs;

/** Where a training run is. */
public enum Phase {
    QUEUED,
    /** Reading argus.labels to its end. */
    SNAPSHOT,
    /** Loading the base, decoding and splitting the samples. */
    PREPARING,
    /** Fitting the calibrations of sensors with new labels (calibrate). */
    CALIBRATING,
    /** Training the head on a frozen feature extractor (frozen, finetune phase one), or new classes' columns. */
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
    FAILED,
    /** Stopped on request; nothing was stored. */
    CANCELLED;

    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
