package io.argus.tools.demo;

import java.net.http.HttpRequest;

/**
 * The demo's API keys, from the environment ({@code ./argus} exports them from {@code run/keys}),
 * never from the command line where {@code ps} would show them. Without one, no header is sent:
 * that works against services with access control off.
 */
final class ApiKey {

    static final String SENSOR = "ARGUS_SENSOR_KEY";
    static final String LABELER = "ARGUS_LABELER_KEY";

    private ApiKey() {
    }

    static HttpRequest.Builder with(HttpRequest.Builder request, String variable) {
        String key = System.getenv(variable);
        return key == null || key.isBlank() ? request : request.header("Authorization", "Bearer " + key.strip());
    }
}
