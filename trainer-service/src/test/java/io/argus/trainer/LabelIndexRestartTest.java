package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.LabeledSample;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.argus.trainer.labels.LabelIndex;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A restarted trainer knows the training set only once it has read {@code argus.labels} again,
 * which can take long after the model history is read (the labels topic holds every image people
 * labeled). Until then it does not answer as if the labels not read yet did not exist: label
 * stats, a sample, the review queue and the look-alike check of a label are
 * {@code 503 LABELS_NOT_READ} with {@code Retry-After}, and the trainer is not ready.
 *
 * <p>Here the index is held in the middle of the topic, after its first label (as a long topic
 * would hold it), by a listener of the test that waits; the model history is read meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartedWithLabelsResource.class, restrictToAnnotatedClass = true)
class LabelIndexRestartTest {

    @Inject
    LabelIndex index;

    @Test
    void untilTheTrainingSetIsReadWhatAnswersFromItIs503AndTheTrainerIsNotReady() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(3);
        CountDownLatch release = new CountDownLatch(1);
        index.onSample((id, entry) -> {
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            KafkaBrokerResource.broker().start();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/models/1").then()
                    .statusCode(200).body("champion", equalTo(true)));
            await().atMost(Duration.ofSeconds(30)).until(() -> index.get("early-bag").isPresent());
            assertThat(index.awaitCaughtUp(0, TimeUnit.SECONDS)).as("the index is held after its first label").isFalse();

            notReadYet(given().get("/api/labels/stats"));
            notReadYet(given().get("/api/labels/tulip-1"));
            notReadYet(given().get("/api/review/queue"));
            // 'tulip' differs from the class Tulip, labeled since the champion, only by case.
            notReadYet(given().multiPart("file", "t.png", png, "image/png").multiPart("label", "tulip")
                    .post("/api/labels"));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'label-index' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'model-history' }.status", equalTo("UP"));
        } finally {
            release.countDown();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/labels/stats").then()
                .statusCode(200).body("samples", equalTo(RestartedWithLabelsResource.SAMPLES.size()))
                .body("perClass.Tulip", equalTo(2)));
        given().get("/api/labels/tulip-1").then().statusCode(200).body("label", equalTo("Tulip"));
        given().multiPart("file", "t.png", png, "image/png").multiPart("label", "tulip").post("/api/labels")
                .then().statusCode(409).body("code", equalTo("LOOKS_LIKE_A_CLASS"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'label-index' }.status", equalTo("UP"));
        try (TopicReader labels = TopicReader.fromStart(KafkaBrokerResource.broker().bootstrapServers(),
                Topics.LABELS)) {
            List<String> stored = labels.readUntilQuiet(Duration.ofSeconds(3)).stream()
                    .map(r -> r.headers().lastHeader(LabeledSample.LABEL)).map(LabelIndexRestartTest::text).toList();
            assertThat(stored).as("labels on argus.labels").doesNotContain("tulip");
        }
    }

    /** The one error body, 503 with when to retry, saying the training set is still being read. */
    private static void notReadYet(Response response) {
        response.then().statusCode(503).contentType(ContentType.JSON)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("LABELS_NOT_READ"))
                .body("message", containsString("training set still being read"));
    }

    private static String text(Header h) {
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
