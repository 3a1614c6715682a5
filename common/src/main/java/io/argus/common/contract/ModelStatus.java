package io.argus.common.contract;

/** Life of a model version, as announced on {@code argus.models}. */
public enum ModelStatus {
    /** Trained and evaluated, waiting for the gate. */
    CANDIDATE,
    /** The champion: inference serves it. */
    PROMOTED,
    /** Failed the gate; kept for the record. */
    REJECTED,
    /** Made champion again by a rollback: inference serves it. */
    ROLLED_BACK;

    /** Whether inference should serve the version this status announces. */
    public boolean serves() {
        return this == PROMOTED || this == ROLLED_BACK;
    }
}
