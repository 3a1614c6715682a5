package io.argus.common.contract;

import java.time.Instant;

/**
 * A candidate's answer for one image while it runs in {@link ModelStatus#SHADOW}, beside the answer
 * the champion served for the same image: the value on {@code argus.images.shadow}, keyed by image
 * id. The trainer counts agreement from these records and joins labels to them; nothing else reads
 * them as results (the champion's topics are the outputs, exactly once).
 *
 * @param source where the image is on the raw topic (the same position the champion's result names)
 * @param at     when the candidate's answer was produced
 */
public record ShadowResult(int schemaVersion, String imageId, String sensorId, Instant capturedAt, String modelName,
                           Answer champion, Answer candidate, Classification.Source source, Instant at) {

    public static final int SCHEMA_VERSION = 1;

    /** One model's answer: its version, best label and that label's confidence. */
    public record Answer(int version, String label, double confidence) {
    }

    /** Whether the candidate's best label is the champion's. */
    public boolean agrees() {
        return champion.label().equals(candidate.label());
    }
}
