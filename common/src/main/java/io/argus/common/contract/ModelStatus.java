package io.argus.common.contract;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * Life of a model version, as announced on {@code argus.models}. Each status says one thing about
 * the version it names: whether it serves is {@link #serves()}, never a matter of context.
 */
public enum ModelStatus {
    /** Trained and evaluated, waiting for the gate. */
    CANDIDATE,
    /**
     * Passed the gate and runs beside the champion on live images before it may serve: inference
     * writes its answers to {@code argus.images.shadow} only (never to the champion's outputs);
     * the trainer then writes {@link #PROMOTED} or {@link #REJECTED} for it, with the reason.
     */
    SHADOW,
    /** Made champion (by the gate or by hand): inference serves it. */
    PROMOTED,
    /** Failed the gate; kept for the record. */
    REJECTED,
    /**
     * Made champion again by a rollback (by hand or automatic), replacing a version that is
     * {@link #WITHDRAWN}: inference serves it. Events written before this name existed said
     * {@code ROLLED_BACK} for exactly this, and read as it.
     */
    @JsonAlias("ROLLED_BACK")
    RESTORED,
    /** Was champion and was taken out of service by a rollback (the event's reason says why): not served. */
    WITHDRAWN;

    /** Whether inference should serve the version this status announces. */
    public boolean serves() {
        return this == PROMOTED || this == RESTORED;
    }
}
