package io.argus.common.topics;

/**
 * The default names of the Argus topics: the one place they are spelled out. Services read the
 * actual names through {@link TopicsConfig}, whose defaults are these constants.
 */
public final class Topics {

    /** Sensor images as sent: key sensor id, value the image bytes, metadata in headers. */
    public static final String RAW = "argus.images.raw";
    /** One JSON classification per image, keyed by image id. */
    public static final String CLASSIFIED = "argus.images.classified";
    /** Classifications whose confidence is under the review threshold, with the reason. */
    public static final String REVIEW = "argus.images.review";
    /** Everything that could not be processed: original bytes plus stage, code and message headers. */
    public static final String DLQ = "argus.images.dlq";
    /** The labeled training set: compacted, keyed by sample id, image bytes in the value. */
    public static final String LABELS = "argus.labels";
    /** Model version events, compacted per model name. */
    public static final String MODELS = "argus.models";
    /** A sensor flagged as drifted, or cleared: JSON {@code DriftEvent}, keyed by sensor id, compacted. */
    public static final String DRIFT = "argus.sensors.drift";
    /**
     * A candidate's answers beside the champion's while it runs in shadow: JSON {@code ShadowResult},
     * keyed by image id. Never read by clients as results: the champion's topics are the outputs.
     */
    public static final String SHADOW = "argus.images.shadow";

    private Topics() {
    }
}
