package io.argus.learning.transfer;

import java.util.Locale;

/** How a training run uses its base network. */
public enum Strategy {
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
            throw new IllegalArgumentException("unknown strategy '" + s + "'; use frozen, finetune or scratch");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
