package io.argus.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.Classification;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.contract.RawImage;
import io.argus.common.contract.ShadowResult;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.testing.ShadowMeters;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A candidate in SHADOW beside the champion, on a real broker. The champion (the brightness model
 * v1) calls every image "bright"; a candidate trained the other way round calls it "dark", one
 * trained like it agrees. While a candidate runs, every image still gets exactly one result on the
 * classified topic, the champion's (read_committed), and one record on the shadow topic with both
 * answers; once the candidate is rejected, the shadow records stop.
 */
@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShadowServingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Test
    @Order(1)
    void aCandidateThatCannotBeLoadedIsCountedAndTheChampionServesAsEver() throws Exception {
        await().atMost(WAIT).until(() -> ServiceProbe.servedVersion() == 1);
        StoredModel v2 = save(2, -5.0);
        InferenceTestResource.announceVersion(
                ModelEvent.about(v2, ModelStatus.SHADOW, "tampered").sha256("0".repeat(64)).build());
        await().atMost(WAIT).until(() -> ServiceProbe.metric("argus_shadow_loads_total{outcome=\"failed\"") >= 1);
        assertThat(ServiceProbe.metric("argus_shadow_candidate_version")).isZero();

        try (TopicReader classified = reader(Topics.CLASSIFIED); TopicReader shadow = reader(Topics.SHADOW)) {
            List<String> ids = send("unloadable-", "cam-a", 20);
            assertThat(championResults(classified, ids)).allSatisfy(c -> assertThat(c.modelVersion()).isEqualTo(1));
            assertThat(shadow.readUntilQuiet(QUIET)).isEmpty();
        }
        assertThat(ServiceProbe.servedVersion()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void everyImageGetsOneChampionResultAndOneShadowRecordWithBothAnswers() throws Exception {
        InferenceTestResource.announceVersion(save(3, -5.0), ModelStatus.SHADOW);
        await().atMost(WAIT).until(() -> ServiceProbe.metric("argus_shadow_candidate_version") == 3);

        try (TopicReader classified = reader(Topics.CLASSIFIED); TopicReader shadow = reader(Topics.SHADOW)) {
            List<String> ids = new ArrayList<>(send("shadowed-a-", "cam-a", 40));
            ids.addAll(send("shadowed-b-", "cam-b", 20));
            Map<String, Classification> served = championResults(classified, ids).stream()
                    .collect(Collectors.toMap(Classification::imageId, Function.identity()));
            assertThat(served.values()).as("the champion's outputs never carry the candidate")
                    .allSatisfy(c -> assertThat(c.modelVersion()).isEqualTo(1));

            List<ShadowResult> shadowed = shadowResults(shadow, ids.size());
            assertThat(shadowed).extracting(ShadowResult::imageId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(shadowed).allSatisfy(s -> {
                Classification c = served.get(s.imageId());
                assertThat(s.champion()).isEqualTo(new ShadowResult.Answer(1, "bright", c.confidence()));
                assertThat(s.candidate().version()).isEqualTo(3);
                assertThat(s.candidate().label()).isEqualTo("dark");
                assertThat(s.agrees()).isFalse();
                assertThat(s.sensorId()).isEqualTo(c.sensorId());
                assertThat(s.source()).isEqualTo(c.source());
                assertThat(s.modelName()).isEqualTo("argus");
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ServiceProbe.metric("argus_shadow_images_total{result=\"disagree\",sensor=\"cam-a\""))
                    .isEqualTo(40.0);
            assertThat(ServiceProbe.metric("argus_shadow_images_total{result=\"disagree\",sensor=\"cam-b\""))
                    .isEqualTo(20.0);
        });
    }

    @Test
    @Order(3)
    void aNewerShadowCandidateReplacesTheFirstAndItsAgreementIsCounted() throws Exception {
        InferenceTestResource.announceVersion(save(4, 3.0), ModelStatus.SHADOW);
        await().atMost(WAIT).until(() -> ServiceProbe.metric("argus_shadow_candidate_version") == 4);

        try (TopicReader classified = reader(Topics.CLASSIFIED); TopicReader shadow = reader(Topics.SHADOW)) {
            List<String> ids = send("agreeing-", "cam-a", 20);
            championResults(classified, ids);
            assertThat(shadowResults(shadow, ids.size())).allSatisfy(s -> {
                assertThat(s.candidate().version()).isEqualTo(4);
                assertThat(s.candidate().label()).isEqualTo("bright");
                assertThat(s.agrees()).isTrue();
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ServiceProbe.metric("argus_shadow_images_total{result=\"agree\",sensor=\"cam-a\"")).isEqualTo(20.0));
        // The names the dashboard's shadow panels may read (DashboardTest): each is exported while a shadow runs.
        assertThat(ShadowMeters.exported(io.restassured.RestAssured.get("/q/metrics").asString()))
                .containsAll(ShadowMeters.INFERENCE);
    }

    @Test
    @Order(4)
    void onceTheCandidateIsRejectedTheShadowRecordsStop() throws Exception {
        InferenceTestResource.announceVersion(new ModelStore(InferenceTestResource.store())
                .find(new io.argus.common.model.ModelId("argus", 4)).orElseThrow(), ModelStatus.REJECTED);
        await().atMost(WAIT).until(() -> ServiceProbe.metric("argus_shadow_candidate_version") == 0);

        try (TopicReader classified = reader(Topics.CLASSIFIED); TopicReader shadow = reader(Topics.SHADOW)) {
            List<String> ids = send("after-rejection-", "cam-a", 30);
            assertThat(championResults(classified, ids)).allSatisfy(c -> assertThat(c.modelVersion()).isEqualTo(1));
            assertThat(shadow.readUntilQuiet(QUIET)).isEmpty();
        }
    }

    private static StoredModel save(int version, double weight) throws Exception {
        return new ModelStore(InferenceTestResource.store()).save(BrightnessModel.bundle("argus", version, weight));
    }

    /** Exactly one result per image, nothing else, read as a read_committed reader sees them. */
    static List<Classification> championResults(TopicReader classified, List<String> ids) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(classified.read(ids.size(), WAIT));
        records.addAll(classified.readUntilQuiet(QUIET));
        List<Classification> results = InferenceStreamTest.results(records);
        assertThat(results).extracting(Classification::imageId).containsExactlyInAnyOrderElementsOf(ids);
        return results;
    }

    /** What reached the shadow topic: {@code count} records and nothing more. */
    static List<ShadowResult> shadowResults(TopicReader shadow, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(shadow.read(count, WAIT));
        records.addAll(shadow.readUntilQuiet(QUIET));
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(
                Json.read(r.value(), ShadowResult.class).imageId()));
        return records.stream().map(r -> Json.read(r.value(), ShadowResult.class)).toList();
    }

    /** {@code count} light grey images of one sensor: the champion is sure they are bright. */
    static List<String> send(String prefix, String sensor, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        byte[] image = InferenceStreamTest.png(Color.LIGHT_GRAY);
        try (KafkaProducer<String, byte[]> producer = KafkaBrokerResource.kafka()
                .reliableProducer("test-camera", KafkaClients.Payload.IMAGES)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                producer.send(new RawImage(id, sensor, Instant.now(), "image/png", null, image).toRecord(Topics.RAW));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    static TopicReader reader(String topic) {
        return TopicReader.fromNow(InferenceStreamTest.bootstrap(), topic);
    }
}
