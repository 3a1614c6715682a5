package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.restassured.path.json.JsonPath;

/** What the stories of training runs share: the bundled test images, and the steps of a run through the API. */
final class RunSteps {

    static final LabeledImages TEST;

    static {
        try {
            TEST = FashionMnist.loadSubset().test();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunSteps() {
    }

    /** Waits until the trainer has written the base's 1,000 replayed samples to argus.labels. */
    static void awaitReplaySeeded() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                Integer.valueOf(1000).equals(given().get("/api/labels/stats").then().extract().jsonPath()
                        .get("perSource.'dataset:fashion-mnist'")));
    }

    /** The run's view once it has ended. */
    static JsonPath awaitRun(String id) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("DONE", "FAILED", "CANCELLED").contains(given().get("/api/training-runs/" + id).path("phase")));
        return given().get("/api/training-runs/" + id).then().extract().jsonPath();
    }

    /** A person uploads a labeled image of a sensor. */
    static void upload(byte[] png, String label, String sampleId, String sensor) {
        given().multiPart("file", "x.png", png, "image/png").multiPart("label", label)
                .multiPart("sampleId", sampleId).multiPart("sensorId", sensor)
                .post("/api/labels").then().statusCode(201);
    }

    /**
     * A person labels test images {@code from} to {@code to} (exclusive) as a camera with inverted
     * contrast sent them, each with its true label (sample ids {@code inverted-i}).
     */
    static void uploadInverted(int from, int to, String sensor) {
        for (int i = from; i < to; i++) {
            upload(SimulatedCameras.png(SimulatedCameras.invert(TEST.image(i))), FashionMnist.LABELS.get(TEST.labels()[i]),
                    "inverted-" + i, sensor);
        }
    }

    /** Starts a training run with this request; its id. */
    static String startRun(String request) {
        return given().contentType("application/json").body(request).post("/api/training-runs").then().statusCode(202)
                .extract().path("id");
    }
}
