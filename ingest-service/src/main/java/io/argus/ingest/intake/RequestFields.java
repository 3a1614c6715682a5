package io.argus.ingest.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.argus.common.contract.ContractViolation;
import io.argus.common.contract.Identifiers;
import io.argus.common.contract.Json;
import io.argus.common.contract.RawImage;
import io.argus.ingest.validation.Refusal;

/** Reads and checks the request fields that travel with an image (sensor, capture time, id, meta). */
final class RequestFields {

    private RequestFields() {
    }

    static String sensorId(String value, String fallback) {
        return check(() -> Identifiers.require("sensor id", blank(value) ? fallback : value.trim()));
    }

    static String imageId(String value) {
        return blank(value) ? Identifiers.newImageId() : check(() -> Identifiers.require("image id", value.trim()));
    }

    static Instant capturedAt(String value, Instant fallback) {
        return blank(value) ? fallback : check(() -> RawImage.parseInstant(value.trim()));
    }

    /** Meta must be a JSON object of at most {@link RawImage#MAX_HEADER_BYTES} bytes. */
    static String meta(String value) {
        if (blank(value)) {
            return null;
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > RawImage.MAX_HEADER_BYTES) {
            throw new Refusal(400, "INVALID_HEADER", "meta is longer than " + RawImage.MAX_HEADER_BYTES + " bytes");
        }
        try {
            if (!Json.mapper().readTree(value).isObject()) {
                throw new Refusal(400, "INVALID_HEADER", "meta must be a JSON object");
            }
        } catch (IOException e) {
            throw new Refusal(400, "INVALID_HEADER", "meta is not valid JSON");
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static <T> T check(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ContractViolation e) {
            throw new Refusal(400, e.code(), e.getMessage());
        }
    }
}
