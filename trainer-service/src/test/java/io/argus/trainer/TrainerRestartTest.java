package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.trainer.registry.ModelHistory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A restarted trainer knows which version is champion only once it has read {@code argus.models}
 * again. Until then it does not answer as if there were none: whatever needs that history is
 * {@code 503 MODEL_HISTORY_NOT_READ} with {@code Retry-After}, and the trainer is not ready. Here
 * Kafka is away when the trainer starts, the longest such wait; once it is back, the answers come
 * from the history the earlier trainer left. The run the earlier trainer was in the middle of comes
 * back FAILED, and as any ended run it cannot be cancelled.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartedTrainerResource.class, restrictToAnnotatedClass = true)
class TrainerRestartTest {

    @Inject
    ModelHistory history;

    @Test
    void untilTheModelHistoryIsReadWhatNeedsItIs503AndTheTrainerIsNotReady() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(3);

        notReadYet(given().get("/api/models"));
        notReadYet(given().get("/api/models/1"));
        notReadYet(given().post("/api/models/1/promote"));
        notReadYet(given().post("/api/models/1/rollback"));
        notReadYet(given().get("/api/review/queue"));
        notReadYet(given().get("/api/labels/stats"));
        // Whether a label is a look-alike of the champion's classes needs the champion.
        notReadYet(given().multiPart("file", "a.png", png, "image/png").multiPart("label", "ankle-boot")
                .post("/api/labels"));
        notReadYet(given().contentType(ContentType.JSON).body("{}").post("/api/training-runs"));
        // Asked directly: /q/health/ready is down too, but answers only when Kafka's own check gives up (60 s).
        assertThat(history.readiness().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        // A bundle needs no history: it is the stored file, whoever is champion.
        given().get("/api/models/1/bundle").then().statusCode(200);

        KafkaBrokerResource.broker().start();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/models/1").then().statusCode(200));
        given().get("/api/models/1").then().body("champion", equalTo(true)).body("status", equalTo("PROMOTED"))
                .body("reason", equalTo(RestartedTrainerResource.EARLIER_DECISION));
        // Ready once the label index is read too (an empty topic here: a moment later at most).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("checks.find { it.name == 'model-history' }.status", equalTo("UP")));
        given().get("/api/review/queue").then().statusCode(200).body("classes", hasItems("Ankle boot", "Sneaker"));
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "ankle-boot").post("/api/labels")
                .then().statusCode(409).body("code", equalTo("LOOKS_LIKE_A_CLASS"));
    }

    @Test
    void theRunTheEarlierTrainerWasInTheMiddleOfHasFailedAndCannotBeCancelled() {
        String cut = "/api/training-runs/" + RestartedTrainerResource.CUT_RUN;
        given().get(cut).then().statusCode(200).body("phase", equalTo("FAILED"))
                .body("error", containsString("trainer stopped during this run"));
        given().delete(cut).then().statusCode(409).body("code", equalTo("RUN_FINISHED"));
        given().get(cut).then().statusCode(200).body("phase", equalTo("FAILED"));
        given().delete("/api/training-runs/run-never-started").then().statusCode(404).body("code", equalTo("UNKNOWN_RUN"));
    }

    /** The one error body, 503 with when to retry, saying the history is still being read. */
    private static void notReadYet(Response response) {
        response.then().statusCode(503).contentType(ContentType.JSON)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("MODEL_HISTORY_NOT_READ"))
                .body("message", containsString("model history still being read"));
    }
}
