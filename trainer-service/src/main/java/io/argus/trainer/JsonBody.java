package io.argus.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import io.argus.common.json.Json;
import io.argus.common.rest.InvalidJson;

/**
 * Optional JSON request bodies: empty means "all defaults"; malformed JSON, a wrong type or a field
 * the request does not have is refused (a misspelt option must not silently fall back to a default).
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body as {@code type}, or null when there is none. */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        ObjectReader reader = Json.mapper().readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            return reader.readValue(body);
        } catch (JsonProcessingException e) {
            throw InvalidJson.refusal(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
