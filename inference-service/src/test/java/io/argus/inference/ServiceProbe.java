package io.argus.inference;

import static io.restassured.RestAssured.given;

/** What the running service says about itself: the version it serves, its metrics. */
final class ServiceProbe {

    private ServiceProbe() {
    }

    /** The model version the readiness check reports; -1 while none is served. */
    static int servedVersion() {
        Object v = given().get("/q/health/ready").path("checks.find { it.name == 'model' }.data.version");
        return v == null ? -1 : ((Number) v).intValue();
    }

    /** The sum of the series whose line starts with {@code prefix}; 0 if there is none. */
    static double metric(String prefix) {
        String body = given().get("/q/metrics").asString();
        return body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).sum();
    }
}
