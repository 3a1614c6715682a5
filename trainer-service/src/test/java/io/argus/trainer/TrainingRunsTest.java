package io.argus.trainer;

import static io.argus.trainer.RunSteps.awaitReplaySeeded;
import static io.argus.trainer.RunSteps.awaitRun;
import static io.argus.trainer.RunSteps.startRun;
import static io.argus.trainer.RunSteps.upload;
import static io.argus.trainer.RunSteps.uploadInverted;
import static io.argus.trainer.TrainerKafka.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Learning without forgetting, on a base pretrained on the bundled Fashion-MNIST subset: a new
 * camera's labels are learned and the rest is kept (promoted), the old way of training on the new
 * labels alone is caught by the gate (rejected), a new class is learned, people decide by hand,
 * and a pruned run goes through the same gate. One story, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = ReplayTrainingTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingRunsTest {

    @Test
    @Order(1)
    void aNewCamerasLabelsAreLearnedByACalibrationAndTheOtherCamerasKeepTheirPredictions() throws Exception {
        awaitReplaySeeded();
        uploadInverted(0, 50, "cam-inverted");
        given().get("/api/labels/stats").then().body("newPerSensor.cam-inverted", equalTo(50))
                .body("perSource.'dataset:fashion-mnist'", equalTo(1000));
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            String id = startRun("{}");
            given().contentType("application/json").body("{}").post("/api/training-runs")
                    .then().statusCode(409).body("code", equalTo("RUN_IN_PROGRESS"));

            JsonPath run = awaitRun(id);

            assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
            assertThat(run.getString("result.decision.status")).as(run.getString("result.decision.reason"))
                    .isEqualTo("PROMOTED");
            assertThat(run.getList("result.calibratedSensors")).containsExactly("cam-inverted");
            Map<String, Object> camera = slice(run, "sensor:cam-inverted");
            assertThat(camera.get("verdict")).isEqualTo("improved");
            assertThat((Float) camera.get("candidate")).isGreaterThan(0.6f);
            Map<String, Object> reference = slice(run, "reference");
            assertThat(((Number) reference.get("n")).intValue()).isEqualTo(1000);
            assertThat(((Number) reference.get("difference")).doubleValue())
                    .as("the other cameras' images go through the same network, unchanged").isZero();
            List<ConsumerRecord<String, byte[]>> records = models.read(3, Duration.ofSeconds(30));
            // Each event under the version's key; the promotion also under the model name (the champion record).
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("argus#v2", "argus#v2", "argus");
            List<ModelEvent> events = records.stream().map(r -> Json.read(r.value(), ModelEvent.class)).toList();
            assertThat(events).extracting(ModelEvent::status).containsExactly(ModelStatus.CANDIDATE,
                    ModelStatus.PROMOTED, ModelStatus.PROMOTED);
            assertThat(events.get(1).previousChampion()).isEqualTo(1);
            assertThat(events.get(1).gate().slices()).extracting(s -> s.name()).contains("reference",
                    "sensor:cam-inverted", "class:Bag");
        }
        given().get("/api/models/2").then().statusCode(200)
                .body("champion", equalTo(true))
                .body("manifest.sensorCalibrations", org.hamcrest.Matchers.hasKey("cam-inverted"))
                .body("gate.decision", equalTo("PROMOTED"))
                .body("manifest.provenance.baseData", equalTo("fashion-mnist"));
        given().get("/api/labels/stats").then().body("newSinceLastModel", equalTo(0));
    }

    @Test
    @Order(2)
    void trainingOnTheNewLabelsAloneForgetsTheRestAndTheGateSaysWhere() {
        uploadInverted(50, 80, "cam-inverted");
        String id = startRun("{\"strategy\":\"finetune\",\"replay\":false,\"maxEpochs\":8,\"minSteps\":60}");

        JsonPath run = awaitRun(id);

        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getString("result.decision.status")).isEqualTo("REJECTED");
        assertThat(run.getString("result.decision.reason")).startsWith("worse than the champion")
                .contains("reference");
        assertThat(slice(run, "reference").get("verdict")).isEqualTo("regressed");
        given().get("/api/models/2").then().body("champion", equalTo(true));
    }

    @Test
    @Order(3)
    void aClassNeverSeenBeforeIsLearnedByNewOutputsAndTheOldClassesAreJudgedAgainstTheChampion() {
        Random random = new Random(5);
        for (int i = 0; i < 50; i++) {
            upload(SimulatedCameras.png(SimulatedCameras.checkerboard(random)), "Kangaroo", "kangaroo-" + i, "cam-zoo");
        }
        String id = startRun("{}");

        JsonPath run = awaitRun(id);

        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getList("classes")).hasSize(11).endsWith("Kangaroo");
        assertThat(run.getString("result.decision.status")).as(run.getString("result.decision.reason"))
                .isEqualTo("PROMOTED");
        assertThat(slice(run, "new-class:Kangaroo").get("verdict")).isEqualTo("learned");
        assertThat(slice(run, "class:Bag").get("verdict")).isEqualTo("no change");
        given().get("/api/models/" + run.getInt("result.version")).then().body("manifest.labels.size()", equalTo(11))
                .body("manifest.labels[10]", equalTo("Kangaroo")).body("champion", equalTo(true));
    }

    @Test
    @Order(4)
    void peopleCanRollBackAndPromoteByHandAndEachDecisionIsAnEvent() {
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            given().contentType("application/json").body("{\"reason\":\"v4 confuses bags\"}")
                    .post("/api/models/1/rollback").then().statusCode(200)
                    .body("status", equalTo("RESTORED")).body("reason", equalTo("v4 confuses bags"));
            // One transaction: v4 withdrawn, v1 restored, and v1 in the champion record (the model name).
            List<ConsumerRecord<String, byte[]>> r = models.read(3, Duration.ofSeconds(30));
            assertThat(r).extracting(ConsumerRecord::key).containsExactly("argus#v4", "argus#v1", "argus");
            assertThat(r).extracting(e -> Json.read(e.value(), ModelEvent.class).status())
                    .containsExactly(ModelStatus.WITHDRAWN, ModelStatus.RESTORED, ModelStatus.RESTORED);
        }
        given().get("/api/models/1").then().body("champion", equalTo(true)).body("status", equalTo("RESTORED"));
        given().get("/api/models/4").then().body("status", equalTo("WITHDRAWN"))
                .body("reason", equalTo("v4 confuses bags"));
        given().post("/api/models/1/rollback").then().statusCode(409).body("code", equalTo("ALREADY_CHAMPION"));
        given().post("/api/models/9/promote").then().statusCode(404).body("code", equalTo("UNKNOWN_VERSION"));
        given().post("/api/models/4/promote").then().statusCode(200).body("status", equalTo("PROMOTED"));
        given().get("/api/training-runs").then().statusCode(200).body("size()", equalTo(3));
        given().get("/api/training-runs/nope").then().statusCode(404).body("code", equalTo("UNKNOWN_RUN"));
    }

    @Test
    @Order(5)
    void runRequestsThatCannotWorkAreRefusedBeforeAnythingRuns() {
        for (String body : List.of("{\"strategy\":\"magic\"}", "{\"maxEpochs\":-1}", "{\"minSteps\":-5}",
                "{\"headLearningRate\":\"NaN\"}", "{\"fineTuneLearningRate\":0}", "{\"base\":\"v99\"}",
                "{\"base\":\"zoo:alexnet\"}", "{\"maxEpoch\":3}", "{\"prune\":{\"target\":1.5}}")) {
            given().contentType("application/json").body(body).post("/api/training-runs")
                    .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)))
                    .body("code", org.hamcrest.Matchers.notNullValue())
                    .body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyString()));
        }
        given().get("/api/training-runs").then().body("size()", equalTo(3));
    }

    @Test
    @Order(6)
    void aPrunedRunIsSmallerAndJudgedByTheSameGate() {
        given().contentType("application/json").body("{\"prune\":{\"target\":0.3,\"tolerance\":-1}}")
                .post("/api/training-runs").then().statusCode(400).body("message", containsString("tolerance"));
        uploadInverted(80, 100, "cam-inverted");
        String id = startRun("{\"strategy\":\"finetune\",\"prune\":{\"target\":0.3,\"tolerance\":0.5}}");
        JsonPath run = awaitRun(id);

        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getLong("result.pruning.paramsAfter")).isLessThan(run.getLong("result.pruning.paramsBefore"));
        // Whatever the gate decides of a pruned network, it decides it on the same slices and says so.
        assertThat(run.getString("result.decision.status")).isEqualTo(run.getString("result.gate.decision"));
        assertThat(run.getList("result.gate.slices.name")).contains("reference", "sensor:cam-inverted");
        JsonPath model = given().get("/api/models/" + run.getInt("result.version")).then().statusCode(200).extract()
                .jsonPath();
        long before = model.getLong("manifest.provenance.pruning.paramsBefore");
        long after = model.getLong("manifest.provenance.pruning.paramsAfter");
        assertThat(1 - (double) after / before).isGreaterThanOrEqualTo(0.3);
        assertThat(model.getLong("manifest.provenance.pruning.flopsAfter"))
                .isLessThan(model.getLong("manifest.provenance.pruning.flopsBefore"));
        assertThat(model.getString("manifest.provenance.pruning.stoppedBecause")).isEqualTo("target reached");
    }

    private static Map<String, Object> slice(JsonPath run, String name) {
        List<Map<String, Object>> slices = run.getList("result.gate.slices");
        return slices.stream().filter(s -> name.equals(s.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no slice " + name + " in " + run.prettify()));
    }
}
