package io.argus.trainer;

import io.argus.common.contract.ContractViolation;
import io.argus.common.contract.Json;

/** Optional JSON request bodies: empty means "all defaults", malformed is a 400. */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body as {@code type}, or null when there is none. */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
        } catch (ContractViolation e) {
            throw new ApiError(400, "INVALID_REQUEST", e.getMessage());
        }
    }
}
