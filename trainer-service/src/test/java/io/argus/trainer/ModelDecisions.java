package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.time.Duration;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Decisions by hand on the trainer of a {@link TrainerTestResource}, for the tests of how they are stored. */
final class ModelDecisions {

    private ModelDecisions() {
    }

    /** Waits until the trainer has promoted v1 as its first champion, then stores a v2 to decide about. */
    static void firstChampionAndASecondVersion() throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/models/1").then()
                .statusCode(200).body("champion", equalTo(true)));
        TrainerTestResource.untrainedModel(TrainerTestResource.store(), 2);
    }

    /** {@code POST /api/models/{version}/{decision}} (promote, rollback) with the reason. */
    static Response decide(String decision, int version, String reason) {
        return given().contentType(ContentType.JSON).body("{\"reason\":\"" + reason + "\"}")
                .post("/api/models/" + version + "/" + decision);
    }
}
