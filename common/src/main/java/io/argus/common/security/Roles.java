package io.argus.common.security;

import java.util.Set;

/** Who may do what. An API key carries one or more of these. */
public final class Roles {

    /** Sends images: ingest, and inference's synchronous classify. */
    public static final String SENSOR = "sensor";
    /** Labels images. */
    public static final String LABELER = "labeler";
    /** Starts training runs, promotes and rolls back model versions. */
    public static final String ADMIN = "admin";
    /**
     * Downloads model bundles from the trainer's registry, and nothing else: the key inference
     * presents, so that a serving replica holds no key that may label, train or promote.
     */
    public static final String MODEL_READER = "model-reader";

    public static final Set<String> ALL = Set.of(SENSOR, LABELER, ADMIN, MODEL_READER);

    private Roles() {
    }
}
