package io.argus.common.contract;

/** Header names of records on the raw image topic (design.md, "Topics and records"). */
public final class ImageHeaders {

    public static final String IMAGE_ID = "argus-image-id";
    public static final String SENSOR_ID = "argus-sensor-id";
    /** ISO-8601 instant, e.g. {@code 2026-11-22T10:15:30Z}. */
    public static final String CAPTURED_AT = "argus-captured-at";
    public static final String CONTENT_TYPE = "argus-content-type";
    public static final String SCHEMA_VERSION = "argus-schema-version";
    /** Optional JSON object with whatever the sensor wants to attach. */
    public static final String META = "argus-meta";

    private ImageHeaders() {
    }
}
