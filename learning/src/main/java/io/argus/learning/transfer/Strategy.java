package io.argus.learning.transfer;

import java.util.Locale;

/** How a training run uses its base network. */
public enum Strategy {
    /**
     * The network's weights left alone: sensors with new labels get a calibration of their images,
     * new classes get new output columns. What the network says about other sensors and known
     * classes cannot change.
     */
    CALIBRATE,
    /** Feature extractor frozen, head trained. */
    FROZEN,
    /** As FROZEN, then the top block(s) unfrozen and trained on at a lower learning rate. */
    FINETUNE,
    /** Same architecture, random weights, everything trained: the baseline transfer must beat. */
    SCRATCH;

    public static Strategy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown strategy '" + s + "'; use calibrate, frozen, finetune or scratch");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
