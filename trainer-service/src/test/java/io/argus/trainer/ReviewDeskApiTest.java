package io.argus.trainer;

import static io.argus.trainer.TrainerKafka.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The review desk's API: the queue from argus.images.review, labeling once, skip and undo, clear refusals. */
@QuarkusTest
@QuarkusTestResource(value = TrainingTestResource.class, restrictToAnnotatedClass = true)
class ReviewDeskApiTest {

    @Test
    void imagesInferenceWasUnsureAboutWaitWithTheirGuessesSensorAndCaptureTime() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(20);
        TrainerKafka.reviewed("rq-1", png, 0.50);
        TrainerKafka.reviewed("rq-2", FashionMnist.loadSubset().test().png(21), 0.30);
        TrainerKafka.reviewed("rq-3", FashionMnist.loadSubset().test().png(22), 0.40);

        List<String> newest = awaitQueued("newest", "rq-1", "rq-2", "rq-3");
        assertThat(newest).containsSubsequence("rq-3", "rq-2", "rq-1");
        assertThat(awaitQueued("least-confident", "rq-1", "rq-2", "rq-3")).containsSubsequence("rq-2", "rq-3", "rq-1");

        // The classes offered are the champion's. A fresh installation has none until the trainer has read the
        // model history and promoted its stored base model (1.5 s after start): wait for that, not for the classes.
        // (Not found, or not yet champion, both mean: not yet.)
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(given().get("/api/models/1")
                .then().extract().path("champion")));
        JsonPath q = given().get("/api/review/queue?limit=200").then().statusCode(200).extract().jsonPath();
        Map<String, Object> item = q.getMap("items.find { it.imageId == 'rq-1' }");
        assertThat(item).containsEntry("sensorId", "cam-review").containsEntry("capturedAt", "2026-11-23T06:00:00Z")
                .containsEntry("guess", "Shirt").containsEntry("reason", "confidence under 0.6");
        assertThat(q.getList("items.find { it.imageId == 'rq-1' }.topK.label")).containsExactly("Shirt", "T-shirt/top");
        assertThat(q.getList("classes", String.class)).contains("Shirt", "Bag").as("the champion's classes");
        byte[] served = given().get("/api/review/items/rq-1/image").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertThat(served).isEqualTo(png);
    }

    @Test
    void labelingTakesAnImageOutOfTheQueueOnceAndUndoBringsItBack() throws Exception {
        TrainerKafka.reviewed("rl-1", FashionMnist.loadSubset().test().png(30), 0.45);
        awaitQueued("newest", "rl-1");

        try (TopicReader labels = TopicReader.fromNow(bootstrap(), Topics.LABELS)) {
            label("rl-1", "Coat").then().statusCode(201).body("label", equalTo("Coat"));
            label("rl-1", "Shirt").then().statusCode(409).body("code", equalTo("ALREADY_LABELED"))
                    .body("message", containsString("already labeled 'Coat'"));
            assertThat(queuedIds("newest")).doesNotContain("rl-1");
            assertThat(labels.readUntilQuiet(Duration.ofSeconds(2))).as("recorded once")
                    .filteredOn(r -> r.key().equals("rl-1")).hasSize(1);
        }

        given().delete("/api/review/items/rl-1/label").then().statusCode(204);
        assertThat(queuedIds("newest")).contains("rl-1");
        given().get("/api/labels/rl-1").then().statusCode(404);
        given().delete("/api/review/items/rl-1/label").then().statusCode(404).body("code", equalTo("NOT_LABELED"));
        label("rl-1", "Shirt").then().statusCode(201);
    }

    @Test
    void aSkippedImageComesBackAfterTheOthers() throws Exception {
        TrainerKafka.reviewed("rs-1", FashionMnist.loadSubset().test().png(40), 0.01);
        awaitQueued("least-confident", "rs-1");
        assertThat(queuedIds("least-confident").get(0)).isEqualTo("rs-1");

        given().post("/api/review/items/rs-1/skip").then().statusCode(204);
        List<String> after = queuedIds("least-confident");
        assertThat(after.get(after.size() - 1)).isEqualTo("rs-1");

        given().delete("/api/review/items/rs-1/skip").then().statusCode(204);
        assertThat(queuedIds("least-confident").get(0)).isEqualTo("rs-1");
    }

    @Test
    void emptyClassesImagesOutsideTheQueueAndImagesPastRetentionAreRefusedClearly() throws Exception {
        TrainerKafka.reviewed("rb-1", FashionMnist.loadSubset().test().png(50), 0.2);
        awaitQueued("newest", "rb-1");

        label("rb-1", "   ").then().statusCode(400).body("code", equalTo("EMPTY_LABEL"))
                .body("message", containsString("class name is empty"));
        label("rb-1", null).then().statusCode(400).body("code", equalTo("EMPTY_LABEL"));
        TrainerKafka.classified("rb-not-reviewed", FashionMnist.loadSubset().test().png(51));
        label("rb-not-reviewed", "Bag").then().statusCode(404).body("code", equalTo("NOT_IN_QUEUE"))
                .body("message", containsString("not in the review queue"));
        given().get("/api/review/queue?order=random").then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));

        RecordMetadata raw = TrainerKafka.reviewed("rb-expired", FashionMnist.loadSubset().test().png(52), 0.2);
        awaitQueued("newest", "rb-expired");
        TrainerKafka.expire(raw);
        label("rb-expired", "Bag").then().statusCode(410).body("code", equalTo("PAST_RETENTION"));
        given().get("/api/review/items/rb-expired/image").then().statusCode(410);
        given().get("/api/labels/rb-expired").then().statusCode(404);
    }

    @Test
    void theDeskIsServedByTheTrainerWithNothingFromElsewhere() {
        String page = given().get("/").then().statusCode(200).contentType(containsString("text/html")).extract()
                .asString();
        assertThat(page).contains("Argus <span>review desk</span>").contains("desk.js").contains("desk.css");
        for (String asset : List.of("/", "/desk.js", "/desk.css")) {
            assertThat(given().get(asset).then().statusCode(200).extract().asString()).as(asset)
                    .doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
        }
    }

    private static List<String> awaitQueued(String order, String... ids) {
        await().atMost(Duration.ofSeconds(30)).until(() -> queuedIds(order).containsAll(List.of(ids)));
        return queuedIds(order);
    }

    private static List<String> queuedIds(String order) {
        return given().get("/api/review/queue?limit=200&order=" + order).then().statusCode(200).extract()
                .jsonPath().getList("items.imageId", String.class);
    }

    private static io.restassured.response.Response label(String imageId, String label) {
        return given().contentType("application/json")
                .body(label == null ? "{}" : "{\"label\":\"" + label + "\"}")
                .post("/api/review/items/" + imageId + "/label");
    }
}
