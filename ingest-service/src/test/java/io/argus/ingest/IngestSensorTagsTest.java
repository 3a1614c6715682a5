package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.image.HostileImages;
import io.argus.common.image.TestImages;
import io.argus.common.testing.TestSettings;
import io.argus.local.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Which sensor ids become metrics tags: only those of accepted images. A refused request's
 * {@code X-Sensor-Id} is whatever the client sent (10 KB of junk, a new name on every request), so
 * it is counted under a sensor already known, or as {@code other}; it never takes one of the
 * {@code argus.ingest.sensor-tag-limit} places from the real cameras.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
// Three sensor tags, so that a few requests could fill them.
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "argus.ingest.sensor-tag-limit", value = "3"))
class IngestSensorTagsTest {

    private static final byte[] PNG = TestImages.encode(HostileImages.scene(16, 16, BufferedImage.TYPE_INT_RGB), "png");

    @Test
    void aRefusedRequestsJunkSensorIdNeverBecomesAMetricsTag() {
        String junk = "junk-" + "x".repeat(10 * 1024);
        given().contentType("image/png").header("X-Sensor-Id", junk).body(PNG).post("/api/images")
                .then().statusCode(400);
        given().contentType("text/plain").header("X-Sensor-Id", "junk-but-valid").body("not an image")
                .post("/api/images").then().statusCode(415);

        String metrics = metrics();
        assertThat(metrics).doesNotContain("xxxxxxxxxx").doesNotContain("junk-but-valid");
        assertThat(metrics).contains("outcome=\"refused\",reason=\"INVALID_HEADER\",sensor=\"other\"")
                .contains("outcome=\"refused\",reason=\"UNSUPPORTED_MEDIA_TYPE\",sensor=\"other\"");
    }

    @Test
    void refusalsFromMoreNamesThanTheCapLeaveTheTagsToSensorsWhoseImagesAreAccepted() {
        for (int i = 0; i < 10; i++) {
            given().contentType("image/png").header("X-Sensor-Id", "never-accepted-" + i).body(new byte[] {1, 2, 3})
                    .post("/api/images").then().statusCode(415);
        }
        for (String camera : List.of("cam-real-1", "cam-real-2")) {
            given().contentType("image/png").header("X-Sensor-Id", camera).body(PNG).post("/api/images")
                    .then().statusCode(202);
        }
        // Once a camera is known, its refusals are counted under its own name.
        given().contentType("image/png").header("X-Sensor-Id", "cam-real-1").body(new byte[] {1, 2, 3})
                .post("/api/images").then().statusCode(415);

        String metrics = metrics();
        assertThat(metrics).doesNotContain("never-accepted-")
                .contains("outcome=\"accepted\",reason=\"none\",sensor=\"cam-real-1\"")
                .contains("outcome=\"accepted\",reason=\"none\",sensor=\"cam-real-2\"")
                .contains("outcome=\"refused\",reason=\"UNSUPPORTED_FORMAT\",sensor=\"cam-real-1\"");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
