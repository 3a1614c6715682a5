package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.json.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Runs on labeled samples, the gate, a new class, and people deciding by hand: one story, in order. */
@QuarkusTest
@QuarkusTestResource(value = TrainingTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingRunsTest {

    @Test
    @Order(1)
    void aRunOnTheLabelsBeatsTheUntrainedChampionAndIsPromoted() throws Exception {
        LabeledImages images = FashionMnist.loadSubset().train();
        int[] perClass = new int[10];
        for (int i = 0; i < images.count(); i++) {
            int c = images.labels()[i];
            if (c < 4 && perClass[c]++ < 15) {
                upload(images.png(i), FashionMnist.LABELS.get(c));
            }
        }
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            String id = given().contentType("application/json").body("{\"strategy\":\"finetune\"}")
                    .post("/api/training-runs").then().statusCode(202).extract().path("id");
            given().contentType("application/json").body("{}").post("/api/training-runs")
                    .then().statusCode(409).body("code", equalTo("RUN_IN_PROGRESS"));

            JsonPath run = awaitRun(id);

            assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
            assertThat(run.getInt("result.version")).isEqualTo(2);
            assertThat(run.getString("result.decision.status")).isEqualTo("PROMOTED");
            assertThat(run.getInt("trainSamples") + run.getInt("validationSamples") + run.getInt("testSamples"))
                    .isEqualTo(60);
            assertThat(run.getList("classes")).hasSize(10);
            List<ModelEvent> events = models.read(2, Duration.ofSeconds(30)).stream()
                    .map(r -> Json.read(r.value(), ModelEvent.class)).toList();
            assertThat(events).extracting(ModelEvent::status).containsExactly(ModelStatus.CANDIDATE, ModelStatus.PROMOTED);
            assertThat(events.get(1).metrics().accuracy()).isGreaterThan(0);
        }
        given().get("/api/models/2").then().statusCode(200)
                .body("champion", equalTo(true))
                .body("manifest.provenance.strategy", equalTo("finetune"))
                .body("manifest.provenance.baseModel", equalTo("argus v1"))
                .body("manifest.metrics.perClass.size()", equalTo(10));
        given().get("/api/labels/stats").then().body("newSinceLastModel", equalTo(0));
    }

    @Test
    @Order(2)
    void aLabelNeverSeenBeforeBecomesANewOutputOfTheNextModel() throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        for (int i = 0; i < 8; i++) {
            upload(images.png(100 + i), "Kangaroo");
        }
        String id = given().contentType("application/json").body("{\"strategy\":\"frozen\"}")
                .post("/api/training-runs").then().statusCode(202).extract().path("id");

        JsonPath run = awaitRun(id);

        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getList("classes")).hasSize(11).endsWith("Kangaroo");
        assertThat(run.getBoolean("result.decision.classesDiffer")).isTrue();
        given().get("/api/models/3").then().body("manifest.labels.size()", equalTo(11))
                .body("manifest.labels[10]", equalTo("Kangaroo"));
    }

    @Test
    @Order(3)
    void peopleCanRollBackAndPromoteByHandAndEachDecisionIsAnEvent() {
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            given().contentType("application/json").body("{\"reason\":\"v2 confuses shirts\"}")
                    .post("/api/models/1/rollback").then().statusCode(200)
                    .body("status", equalTo("ROLLED_BACK")).body("reason", equalTo("v2 confuses shirts"));
            ConsumerRecord<String, byte[]> r = models.read(1, Duration.ofSeconds(30)).get(0);
            assertThat(Json.read(r.value(), ModelEvent.class).version()).isEqualTo(1);
        }
        given().get("/api/models/1").then().body("champion", equalTo(true));
        given().post("/api/models/1/rollback").then().statusCode(409).body("code", equalTo("ALREADY_CHAMPION"));
        given().post("/api/models/9/promote").then().statusCode(404).body("code", equalTo("UNKNOWN_VERSION"));
        given().post("/api/models/2/promote").then().statusCode(200).body("status", equalTo("PROMOTED"));
        given().get("/api/training-runs").then().statusCode(200).body("size()", equalTo(2));
        given().get("/api/training-runs/nope").then().statusCode(404).body("code", equalTo("UNKNOWN_RUN"));
        given().contentType("application/json").body("{\"strategy\":\"magic\"}").post("/api/training-runs")
                .then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
    }

    @Test
    @Order(4)
    void aPrunedRunIsSmallerGoesThroughTheSameGateAndRecordsWhatPruningRemoved() {
        given().contentType("application/json").body("{\"prune\":{\"target\":1.5}}").post("/api/training-runs")
                .then().statusCode(400).body("code", equalTo("INVALID_REQUEST"))
                .body("message", org.hamcrest.Matchers.containsString("(0, 1)"));
        given().contentType("application/json").body("{\"prune\":{\"target\":0.3,\"tolerance\":-1}}")
                .post("/api/training-runs").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("tolerance"));

        // A tolerance this wide because a dozen validation samples make accuracy jump by 8 points per image.
        String id = given().contentType("application/json")
                .body("{\"strategy\":\"finetune\",\"prune\":{\"target\":0.3,\"tolerance\":0.5}}")
                .post("/api/training-runs").then().statusCode(202).extract().path("id");
        JsonPath run = awaitRun(id);

        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getLong("result.pruning.paramsAfter")).isLessThan(run.getLong("result.pruning.paramsBefore"));
        assertThat(run.getString("result.decision.status")).isIn("PROMOTED", "REJECTED");
        JsonPath model = given().get("/api/models/" + run.getInt("result.version")).then().statusCode(200).extract()
                .jsonPath();
        long before = model.getLong("manifest.provenance.pruning.paramsBefore");
        long after = model.getLong("manifest.provenance.pruning.paramsAfter");
        assertThat(1 - (double) after / before).isGreaterThanOrEqualTo(0.3);
        assertThat(model.getLong("manifest.provenance.pruning.flopsAfter"))
                .isLessThan(model.getLong("manifest.provenance.pruning.flopsBefore"));
        assertThat(model.getString("manifest.provenance.pruning.stoppedBecause")).isEqualTo("target reached");
        assertThat(model.getDouble("manifest.metrics.accuracy")).isPositive();
    }

    private static JsonPath awaitRun(String id) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("DONE", "FAILED").contains(given().get("/api/training-runs/" + id).path("phase")));
        return given().get("/api/training-runs/" + id).then().extract().jsonPath();
    }

    private static void upload(byte[] png, String label) {
        given().multiPart("file", "x.png", png, "image/png").multiPart("label", label)
                .post("/api/labels").then().statusCode(201);
    }

    private static String bootstrap() {
        return KafkaBrokerResource.broker().bootstrapServers();
    }
}
