package io.argus.trainer;

import static io.argus.trainer.RunSteps.TEST;
import static io.argus.trainer.RunSteps.awaitReplaySeeded;
import static io.argus.trainer.RunSteps.awaitRun;
import static io.argus.trainer.RunSteps.startRun;
import static io.argus.trainer.RunSteps.uploadInverted;
import static io.argus.trainer.TrainerKafka.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.json.Json;
import io.argus.common.testing.ShadowMeters;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Shadow before promotion, on a real broker, with shadow on (a window of 60 images): a candidate
 * that passed the gate is SHADOW and not served; the trainer counts what it answered beside the
 * champion (written to argus.images.shadow here, as inference would) and decides when the window
 * is over. One story, in order, sharing one start-up; shadow off (promoted at once) is
 * {@link TrainingRunsTest}'s first case.
 */
@QuarkusTest
@QuarkusTestResource(value = ShadowTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShadowPromotionTest {

    /** The sensor the runs target (its new labels); the other one, the run meant to leave alone. */
    private static final String TARGETED = "cam-inverted";
    private static final String OTHER = "cam-ordinary";

    @Test
    @Order(1)
    void aCandidateThatPassedTheGateGoesToShadowAndIsNotServed() throws Exception {
        awaitReplaySeeded();
        uploadInverted(0, 50, TARGETED);
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            JsonPath run = run();

            assertThat(run.getString("result.gate.decision")).as(run.prettify()).isEqualTo("PROMOTED");
            assertThat(run.getString("result.decision.status")).isEqualTo("SHADOW");
            assertThat(run.getString("result.decision.reason")).contains("in shadow beside v1 until 60 images");
            // CANDIDATE, then SHADOW, each under the version key only: no champion record.
            List<ConsumerRecord<String, byte[]>> records = models.read(3, Duration.ofSeconds(5));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("argus#v2", "argus#v2");
            ModelEvent shadow = Json.read(records.get(1).value(), ModelEvent.class);
            assertThat(shadow.status()).isEqualTo(ModelStatus.SHADOW);
            assertThat(shadow.previousChampion()).as("the champion it runs beside").isEqualTo(1);
            assertThat(shadow.gate().promoted()).isTrue();
        }
        given().get("/api/models/1").then().body("champion", equalTo(true));
        given().get("/api/models/2").then().body("status", equalTo("SHADOW")).body("champion", equalTo(false))
                .body("shadow.images", equalTo(0)).body("shadow.window.images", equalTo(60))
                .body("shadow.champion", equalTo(1)).body("shadow.decision", equalTo(null));
    }

    @Test
    @Order(2)
    void whenTheChampionChangesDuringTheWindowTheCandidateIsRejected() throws Exception {
        TrainerTestResource.untrainedModel(TrainerTestResource.store(), 3);
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            given().contentType("application/json").body("{\"reason\":\"a person chose v3\"}")
                    .post("/api/models/3/promote").then().statusCode(200);
            ModelEvent rejected = awaitEvent(models, 2, ModelStatus.REJECTED);
            assertThat(rejected.reason()).contains("the champion changed during the shadow window: v1 when it began, "
                    + "v3 now");
        }
        given().get("/api/models/2").then().body("status", equalTo("REJECTED"))
                .body("shadow.decision.status", equalTo("REJECTED"));
        given().contentType("application/json").body("{}").post("/api/models/1/rollback").then().statusCode(200);
    }

    @Test
    @Order(3)
    void aCandidateThatDisagreesWithAConfidentChampionOnASensorTheRunDidNotTargetIsRejectedAndTheReasonNamesIt()
            throws Exception {
        int v = run().getInt("result.version");
        assertThat(v).isEqualTo(4);
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            // The targeted camera: the candidate answers differently, as the run meant it to.
            for (int i = 0; i < 20; i++) {
                TrainerKafka.shadowed("a-t-" + i, TEST.png(i), TARGETED, "Bag", 0.95, v, "Sandal");
            }
            // The other camera: where v1 was sure, v4 says something else on 25 of 40 images.
            for (int i = 0; i < 40; i++) {
                var r = TrainerKafka.shadowed("a-o-" + i, TEST.png(i), OTHER, "Bag", 0.95, v, i < 25 ? "Coat" : "Bag");
                if (i < 5) {
                    TrainerKafka.shadow(r); // written twice (at least once): counted once
                }
            }
            ModelEvent decision = awaitEvent(models, v, ModelStatus.REJECTED);
            assertThat(decision.reason()).startsWith("failed the shadow window (60 images)")
                    .contains("on sensor cam-ordinary: 37.5% of 40 images the champion was confident of")
                    .contains("at least 95.0% needed").doesNotContain("sensor cam-inverted");
        }
        given().get("/api/models/" + v).then().body("status", equalTo("REJECTED")).body("champion", equalTo(false))
                .body("shadow.images", equalTo(60))
                .body("shadow.sensors.find { it.sensorId == 'cam-ordinary' }.confidentAgreement", equalTo(0.375f))
                .body("shadow.sensors.find { it.sensorId == 'cam-inverted' }.targeted", equalTo(true))
                .body("shadow.decision.status", equalTo("REJECTED"));
        given().get("/api/models/1").then().body("champion", equalTo(true));
        given().get("/q/metrics").then().body(containsString("argus_shadow_decisions_total{decision=\"rejected\"} 2.0"));
    }

    @Test
    @Order(4)
    void aCandidateThatAgreesWhereItShouldIsPromotedAfterTheWindowAndLabelsJudgeBothAnswersOnTheSameImages()
            throws Exception {
        int v = run().getInt("result.version");
        try (TopicReader models = TopicReader.fromNow(bootstrap(), Topics.MODELS)) {
            for (int i = 0; i < 30; i++) {
                TrainerKafka.shadowed("b-o-" + i, TEST.png(i), OTHER, "Bag", 0.95, v, "Bag");
            }
            for (int i = 0; i < 20; i++) {
                TrainerKafka.shadowed("b-t-" + i, TEST.png(i), TARGETED, "Bag", 0.95, v, "Sandal");
            }
            // People label 16 of the targeted camera's images: 12 sandals (the candidate was right), 4 bags.
            StringBuilder body = new StringBuilder("{\"labels\":[");
            for (int i = 0; i < 16; i++) {
                body.append(i == 0 ? "" : ",").append("{\"imageId\":\"b-t-").append(i).append("\",\"label\":\"")
                        .append(i < 12 ? "Sandal" : "Bag").append("\"}");
            }
            given().contentType("application/json").body(body.append("]}").toString()).post("/api/labels/batch")
                    .then().statusCode(201);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/models/" + v).then()
                    .body("status", equalTo("SHADOW")).body("shadow.images", equalTo(50))
                    .body("shadow.labels.n", equalTo(16)).body("shadow.labels.candidateRight", equalTo(12))
                    .body("shadow.labels.championRight", equalTo(4)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                    .body(containsString("argus_shadow_agreement_confident{sensor=\"cam-ordinary\",version=\"" + v
                            + "\"} 1.0"))
                    .body(containsString("argus_shadow_images{sensor=\"(all)\",version=\"" + v + "\"} 50.0"))
                    .body(containsString("argus_shadow_agreement{sensor=\"cam-inverted\",version=\"" + v
                            + "\"} 0.0")));
            // The names the dashboard's shadow panels may read (DashboardTest): each is exported while a window is open.
            assertThat(ShadowMeters.exported(given().get("/q/metrics").asString())).containsAll(ShadowMeters.TRAINER);
            assertThat(models.read(1, Duration.ofSeconds(3))).as("nothing decided before the window is over").isEmpty();

            for (int i = 30; i < 40; i++) {
                TrainerKafka.shadowed("b-o-" + i, TEST.png(i), OTHER, "Bag", 0.95, v, "Bag");
            }
            List<ConsumerRecord<String, byte[]>> records = models.read(2, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("argus#v" + v, "argus");
            ModelEvent promoted = Json.read(records.get(0).value(), ModelEvent.class);
            assertThat(promoted.status()).isEqualTo(ModelStatus.PROMOTED);
            assertThat(promoted.previousChampion()).as("what the rollback watch compares with").isEqualTo(1);
            assertThat(promoted.gate()).as("the gate's judgement stays with the version").isNotNull();
            assertThat(promoted.reason()).startsWith("passed the shadow window (60 images)")
                    .contains("sensor cam-ordinary: 100.0% of 40 images")
                    .contains("candidate 75.0%, champion 25.0% on the same 16 images");
        }
        given().get("/api/models/" + v).then().body("champion", equalTo(true)).body("status", equalTo("PROMOTED"))
                .body("shadow.decision.status", equalTo("PROMOTED"));
        given().get("/q/metrics").then().body(containsString("argus_shadow_decisions_total{decision=\"promoted\"} 1.0"));
    }

    private static ModelEvent awaitEvent(TopicReader models, int version, ModelStatus status) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : models.read(1, Duration.ofSeconds(1))) {
                ModelEvent e = Json.read(r.value(), ModelEvent.class);
                if (e.version() == version && e.status() == status) {
                    return e;
                }
            }
        }
        throw new AssertionError("no " + status + " event for v" + version + " within 30 s");
    }

    private static JsonPath run() {
        JsonPath run = awaitRun(startRun("{}"));
        assertThat(run.getString("phase")).as(run.prettify()).isEqualTo("DONE");
        return run;
    }
}
