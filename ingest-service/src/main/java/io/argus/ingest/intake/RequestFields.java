package io.argus.ingest.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.argus.common.error.ArgusException;
import io.argus.common.contract.Identifiers;
import io.argus.common.json.Json;
import io.argus.common.contract.RawImage;

/** Reads and checks the request fields that travel with an image (sensor, capture time, id, meta). */
final class RequestFields {

    private RequestFields() {
    }

    static String sensorId(String value, String fallback) {
        return Identifiers.require("sensor id", blank(value) ? fallback : value.trim());
    }

    static String imageId(String value) {
        return blank(value) ? Identifiers.newImageId() : Identifiers.require("image id", value.trim());
    }

    static Instant capturedAt(String value, Instant fallback) {
        return blank(value) ? fallback : RawImage.parseInstant(value.trim());
    }

    /** Meta must be a JSON object of at most {@link RawImage#MAX_HEADER_BYTES} bytes. */
    static String meta(String value) {
        if (blank(value)) {
            return null;
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > RawImage.MAX_HEADER_BYTES) {
            throw ArgusException.invalid("INVALID_HEADER", "meta is longer than " + RawImage.MAX_HEADER_BYTES + " bytes");
        }
        try {
            if (!Json.mapper().readTree(value).isObject()) {
                throw ArgusException.invalid("INVALID_HEADER", "meta must be a JSON object");
            }
        } catch (IOException e) {
            throw ArgusException.invalid("INVALID_HEADER", "meta is not valid JSON");
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
