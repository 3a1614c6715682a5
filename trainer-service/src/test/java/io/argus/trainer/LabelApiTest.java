package io.argus.trainer;

import static io.argus.trainer.TrainerKafka.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.LabeledSample;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.model.Sha256;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = TrainingTestResource.class, restrictToAnnotatedClass = true)
class LabelApiTest {

    @Test
    void labelingAnImageArgusClassifiedStoresItsOwnBytesWithTheLabel() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(3);
        RecordMetadata raw = TrainerKafka.classified("seen-1", png);
        try (TopicReader labels = TopicReader.fromNow(bootstrap(), Topics.LABELS)) {
            given().contentType("application/json").header("X-Labeler", "ana")
                    .body("{\"imageId\":\"seen-1\",\"label\":\"  Trouser \"}")
                    .post("/api/labels")
                    .then().statusCode(201)
                    .body("sampleId", equalTo("seen-1"))
                    .body("label", equalTo("Trouser"))
                    .body("labeler", equalTo("ana"));

            ConsumerRecord<String, byte[]> r = labels.read(1, Duration.ofSeconds(30)).get(0);
            assertThat(r.key()).isEqualTo("seen-1");
            assertThat(r.value()).isEqualTo(png);
            LabeledSample s = LabeledSample.fromRecord(r);
            assertThat(s.label()).isEqualTo("Trouser");
            assertThat(s.labeler()).isEqualTo("ana");
            assertThat(s.source()).isEqualTo(LabeledSample.PERSON);
            assertThat(s.origin().imageId()).isEqualTo("seen-1");
            assertThat(s.origin().sensorId()).as("the sensor of the raw record").isEqualTo(TrainerKafka.SENSOR);
            assertThat(s.origin().capturedAt()).isEqualTo(TrainerKafka.CAPTURED_AT);
            assertThat(s.origin().raw().offset()).isEqualTo(raw.offset());
            assertThat(s.origin().raw().partition()).isEqualTo(raw.partition());
            assertThat(s.origin().raw().sha256()).isEqualTo(Sha256.of(png));
        }
        given().get("/api/labels/stats").then().statusCode(200)
                .body("perClass.Trouser", greaterThanOrEqualTo(1))
                .body("newSinceLastModel", greaterThanOrEqualTo(1))
                .body("perSensor." + TrainerKafka.SENSOR, greaterThanOrEqualTo(1))
                .body("perSource.person", greaterThanOrEqualTo(1));
    }

    @Test
    void anImageIdThatNamesTwoRawRecordsIsRefusedUntilTheLabelSaysWhichOne() throws Exception {
        // A sensor sent another image under an id already used: a label by that id must not take
        // either image silently.
        byte[] firstBytes = FashionMnist.loadSubset().test().png(9);
        byte[] otherBytes = FashionMnist.loadSubset().test().png(10);
        RecordMetadata first = TrainerKafka.classified("twice-1", firstBytes);
        RecordMetadata second = TrainerKafka.classified("twice-1", otherBytes);
        String firstAt = Topics.RAW + "/" + first.partition() + "/" + first.offset();
        String secondAt = Topics.RAW + "/" + second.partition() + "/" + second.offset();
        // The trainer learns of classified images as it follows the topic: wait until it knows both
        // (a reference to a record that is neither answers with where the image was classified from).
        await().atMost(Duration.ofSeconds(30)).until(() -> given().contentType("application/json")
                .body("{\"imageId\":\"twice-1\",\"label\":\"Bag\",\"raw\":{\"partition\":" + first.partition()
                        + ",\"offset\":999999}}").post("/api/labels").then().extract().asString()
                .contains(secondAt));

        label("twice-1", "Bag").then().statusCode(409).body("code", equalTo("AMBIGUOUS_IMAGE_ID"))
                .body("message", containsString(firstAt)).body("message", containsString(secondAt));

        try (TopicReader labels = TopicReader.fromNow(bootstrap(), Topics.LABELS)) {
            given().contentType("application/json").body("{\"imageId\":\"twice-1\",\"label\":\"Bag\",\"raw\":"
                            + "{\"partition\":" + second.partition() + ",\"offset\":" + second.offset() + "}}")
                    .post("/api/labels").then().statusCode(201);
            LabeledSample s = LabeledSample.fromRecord(labels.read(1, Duration.ofSeconds(30)).get(0));
            assertThat(s.origin().raw().offset()).isEqualTo(second.offset());
            assertThat(s.origin().raw().sha256()).isEqualTo(Sha256.of(otherBytes));
        }
    }

    @Test
    void unknownImagesBadLabelsAndImagesPastRetentionAreRefusedClearly() throws Exception {
        label("never-seen", "Bag").then().statusCode(404).body("code", equalTo("UNKNOWN_IMAGE"));

        TrainerKafka.classified("seen-2", FashionMnist.loadSubset().test().png(4));
        label("seen-2", "   ").then().statusCode(400).body("code", equalTo("INVALID_LABEL"));
        label("seen-2", "x".repeat(65)).then().statusCode(400).body("code", equalTo("INVALID_LABEL"));
        given().contentType("application/json").body("{\"label\":\"Bag\"}").post("/api/labels")
                .then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));

        RecordMetadata raw = TrainerKafka.classified("expired-1", FashionMnist.loadSubset().test().png(5));
        TrainerKafka.expire(raw);
        label("expired-1", "Bag").then().statusCode(410).body("code", equalTo("PAST_RETENTION"));
    }

    @Test
    void uploadsJoinTheTrainingSetAndDeletingLeavesATombstone() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(6);
        String sampleId = given().multiPart("file", "shirt.png", png, "image/png").multiPart("label", "Shirt")
                .multiPart("labeler", "bo")
                .post("/api/labels").then().statusCode(201).body("label", equalTo("Shirt")).extract().path("sampleId");

        given().multiPart("file", "broken.png", "no image".getBytes(StandardCharsets.UTF_8), "image/png")
                .multiPart("label", "Shirt").post("/api/labels")
                .then().statusCode(415).body("code", equalTo("UNSUPPORTED_FORMAT"));
        given().get("/api/labels/" + sampleId).then().statusCode(200).body("label", equalTo("Shirt"));

        try (TopicReader labels = TopicReader.fromNow(bootstrap(), Topics.LABELS)) {
            given().delete("/api/labels/" + sampleId).then().statusCode(204);
            List<ConsumerRecord<String, byte[]>> tombstones = labels.read(1, Duration.ofSeconds(30));
            assertThat(tombstones.get(0).key()).isEqualTo(sampleId);
            assertThat(tombstones.get(0).value()).isNull();
        }
        given().delete("/api/labels/" + sampleId).then().statusCode(404).body("code", equalTo("UNKNOWN_SAMPLE"));
        given().get("/api/labels/" + sampleId).then().statusCode(404);
    }

    @Test
    void everySampleIdTheTrainerTakesCanBeReadAndDeletedAndTheApisOwnPathsAreNotTaken() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(7);
        String id = "site-3/cam-1/0001";
        given().multiPart("file", "bag.png", png, "image/png").multiPart("label", "Bag").multiPart("sampleId", id)
                .post("/api/labels").then().statusCode(201).body("sampleId", equalTo(id));
        given().get("/api/labels/" + id).then().statusCode(200).body("label", equalTo("Bag"));
        given().delete("/api/labels/" + id).then().statusCode(204);
        given().get("/api/labels/" + id).then().statusCode(404).body("code", equalTo("UNKNOWN_SAMPLE"));

        for (String path : List.of("stats", "batch")) {
            given().multiPart("file", "bag.png", png, "image/png").multiPart("label", "Bag").multiPart("sampleId", path)
                    .post("/api/labels").then().statusCode(400).body("code", equalTo("RESERVED_SAMPLE_ID"));
            TrainerKafka.classified(path, png);
            label(path, "Bag").then().statusCode(400).body("code", equalTo("RESERVED_SAMPLE_ID"));
        }
        given().get("/api/labels/stats").then().statusCode(200).body("samples", greaterThanOrEqualTo(0));
    }

    @Test
    void aRequestBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        byte[] huge = new byte[25 * 1024 * 1024];
        // With Expect: 100-continue the server answers from the declared length, before any body is sent.
        var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                + "/api/labels/batch"))
                .expectContinue(true).header("Content-Type", "application/json").header("X-Labeler", "ana")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aBatchIsAllOrNothing() throws Exception {
        TrainerKafka.classified("batch-1", FashionMnist.loadSubset().test().png(7));
        TrainerKafka.classified("batch-2", FashionMnist.loadSubset().test().png(8));
        try (TopicReader labels = TopicReader.fromNow(bootstrap(), Topics.LABELS)) {
            given().contentType("application/json")
                    .body("{\"labels\":[{\"imageId\":\"batch-1\",\"label\":\"Bag\"},{\"imageId\":\"nope\",\"label\":\"Bag\"}]}")
                    .post("/api/labels/batch").then().statusCode(404).body("code", equalTo("UNKNOWN_IMAGE"));
            assertThat(labels.readUntilQuiet(Duration.ofSeconds(1))).isEmpty();

            given().contentType("application/json")
                    .body("{\"labels\":[{\"imageId\":\"batch-1\",\"label\":\"Bag\"},{\"imageId\":\"batch-2\",\"label\":\"Coat\"}]}")
                    .post("/api/labels/batch").then().statusCode(201).body("size()", equalTo(2));
            assertThat(labels.read(2, Duration.ofSeconds(30))).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("batch-1", "batch-2");
        }
    }

    @Test
    void aBatchOfLabelsByImageIdDoesNotWaitOnTheBrokerImageByImage() throws Exception {
        // Each label reads its image back from Kafka by the offset its result names: a lookup. A lookup
        // consumer that let the broker hold an empty fetch for 500 ms took about that long per image.
        int n = 20;
        StringBuilder body = new StringBuilder("{\"labels\":[");
        for (int i = 0; i < n; i++) {
            TrainerKafka.classified("lookup-" + i, FashionMnist.loadSubset().test().png(40 + i));
            body.append(i == 0 ? "" : ",").append("{\"imageId\":\"lookup-").append(i).append("\",\"label\":\"Bag\"}");
        }
        long start = System.nanoTime();
        given().contentType("application/json").body(body.append("]}").toString()).post("/api/labels/batch")
                .then().statusCode(201).body("size()", equalTo(n));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("%d labels by image id took %s", n, took).isLessThan(Duration.ofSeconds(4));
    }

    private static io.restassured.response.Response label(String imageId, String label) {
        return given().contentType("application/json")
                .body("{\"imageId\":\"" + imageId + "\",\"label\":\"" + label + "\"}").post("/api/labels");
    }
}
