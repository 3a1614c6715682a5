package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A version promoted by hand that is clearly worse on live labels is withdrawn and the previous
 * champion restored by the trainer itself, on a real broker; before the labels show it with
 * confidence, nothing happens. A version that turned unsure on a sensor is rolled back on its
 * answers alone, before any label.
 */
@QuarkusTest
@QuarkusTestResource(value = LiveTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutomaticRollbackTest {

    private static final String SENSOR = "cam-rollback";

    @Test
    @Order(1)
    void aPromotedVersionWorseWithConfidenceIsWithdrawnAndThePreviousChampionRestored() throws Exception {
        v1ServesAndAnotherVersionIsStored(2);

        // v1 served 60 images of which people confirm 54 (90%).
        label(serve("v1-", 60, 1, "Bag"), 54);
        given().contentType("application/json").body("{\"reason\":\"try v2\"}").post("/api/models/2/promote")
                .then().statusCode(200).body("status", equalTo("PROMOTED")).body("previousChampion", equalTo(1));

        try (TopicReader models = TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(), Topics.MODELS)) {
            // v2 answers "Coat" for bags. 20 labels: everything wrong, but too few to judge.
            List<String> v2 = serve("v2-", 60, 2, "Coat");
            label(v2.subList(0, 20), 0);
            Thread.sleep(5000);
            given().get("/api/models/2").then().body("champion", equalTo(true)).body("live.n", equalTo(20));
            assertThat(models.read(1, Duration.ofSeconds(1))).as("no decision on 20 labels").isEmpty();

            // Twenty more: now it is worse with confidence.
            label(v2.subList(20, 40), 0);
            List<ConsumerRecord<String, byte[]>> decision = models.read(3, Duration.ofSeconds(30));
            assertThat(decision).extracting(ConsumerRecord::key).containsExactly("argus#v2", "argus#v1", "argus");
            List<ModelEvent> events = decision.stream().map(r -> Json.read(r.value(), ModelEvent.class)).toList();
            assertThat(events).extracting(ModelEvent::status)
                    .containsExactly(ModelStatus.WITHDRAWN, ModelStatus.RESTORED, ModelStatus.RESTORED);
            assertThat(events.get(0).reason()).startsWith("automatic rollback: live accuracy worse with confidence")
                    .contains("v2 0.0% (n=40), v1 90.0% (n=60)");
        }
        given().get("/api/models/1").then().body("champion", equalTo(true)).body("status", equalTo("RESTORED"));
        given().get("/api/models/2").then().body("champion", equalTo(false)).body("status", equalTo("WITHDRAWN"));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "argus_model_rollbacks_total{trigger=\"automatic\"} 1.0"));
    }

    @Test
    @Order(2)
    void aPromotedVersionThatTurnedUnsureOnASensorIsWithdrawnWithoutLabels() throws Exception {
        v1ServesAndAnotherVersionIsStored(3);
        serve("v1-flat-", 120, 1, "Bag", 0.9, "cam-flat");
        given().contentType("application/json").body("{\"reason\":\"try v3\"}").post("/api/models/3/promote")
                .then().statusCode(200).body("previousChampion", equalTo(1));

        try (TopicReader models = TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(), Topics.MODELS)) {
            // v3's answers on that camera are flat: every one under the confidence line. No label is given.
            serve("v3-flat-", 120, 3, "Bag", 0.2, "cam-flat");
            List<ModelEvent> events = models.read(3, Duration.ofSeconds(30)).stream()
                    .map(r -> Json.read(r.value(), ModelEvent.class)).toList();
            assertThat(events).extracting(ModelEvent::status)
                    .containsExactly(ModelStatus.WITHDRAWN, ModelStatus.RESTORED, ModelStatus.RESTORED);
            assertThat(events.get(0).version()).isEqualTo(3);
            assertThat(events.get(0).reason()).startsWith("automatic rollback: unsure with confidence on sensor cam-flat")
                    .contains("v3 100.0%").contains("v1 0.0%");
        }
        given().get("/api/models/3").then().body("status", equalTo("WITHDRAWN"));
    }

    /** Puts {@code count} images on the raw topic with the results {@code version} served for them. */
    private static List<String> serve(String prefix, int count, int version, String said) throws Exception {
        return serve(prefix, count, version, said, 0.9, SENSOR);
    }

    private static List<String> serve(String prefix, int count, int version, String said, double confidence,
                                      String sensor) throws Exception {
        var images = FashionMnist.loadSubset().test();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            TrainerKafka.classified(id, images.png(i), sensor, version, said, confidence);
            ids.add(id);
        }
        return ids;
    }

    /** People label the images: the first {@code bags} are bags, the rest sandals. */
    private static void label(List<String> ids, int bags) {
        StringBuilder body = new StringBuilder("{\"labels\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"imageId\":\"").append(ids.get(i)).append("\",\"label\":\"")
                    .append(i < bags ? "Bag" : "Sandal").append("\"}");
        }
        given().contentType("application/json").body(body.append("]}").toString()).post("/api/labels/batch")
                .then().statusCode(201);
    }

    /** Once v1 is the champion again, an untrained {@code version} is stored beside it, to be promoted by hand. */
    private static void v1ServesAndAnotherVersionIsStored(int version) throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/models/1").then().body("champion", equalTo(true)));
        TrainerTestResource.untrainedModel(TrainerTestResource.store(), version);
    }
}
