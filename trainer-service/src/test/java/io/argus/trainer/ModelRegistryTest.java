package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.json.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.Sha256;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = TrainerTestResource.class, restrictToAnnotatedClass = true)
class ModelRegistryTest {

    @Test
    void theFirstStoredModelIsPromotedOnArgusModelsWithWhereToDownloadIt() {
        try (TopicReader models = TopicReader.fromStart(KafkaBrokerResource.broker().bootstrapServers(), Topics.MODELS)) {
            List<ConsumerRecord<String, byte[]>> events = models.read(2, Duration.ofSeconds(60));

            // The version's record, and the champion record under the model name (what inference follows).
            assertThat(events).extracting(ConsumerRecord::key).containsExactly("argus#v1", "argus");
            assertThat(events.get(1).value()).isEqualTo(events.get(0).value());
            ModelEvent e = Json.read(events.get(1).value(), ModelEvent.class);
            assertThat(e.status()).isEqualTo(ModelStatus.PROMOTED);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.bundleUrl()).isEqualTo("http://127.0.0.1:8999/api/models/1/bundle");
            assertThat(e.bundleFile()).isEqualTo("argus-v1.bundle");
            assertThat(e.sha256()).isEqualTo(Sha256.of(TrainerTestResource.store().resolve("argus-v1.bundle")));
            assertThat(e.labels()).hasSize(10);
            assertThat(e.inputSpec().width()).isEqualTo(28);
        }
    }

    @Test
    void theRegistryListsVersionsWithStatusAndServesBundlesWithTheirChecksum() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/models").then().statusCode(200)
                        .body("size()", equalTo(1))
                        .body("[0].version", equalTo(1))
                        .body("[0].status", equalTo("PROMOTED"))
                        .body("[0].champion", equalTo(true)));

        given().get("/api/models/1").then().statusCode(200)
                .body("manifest.labels[7]", equalTo("Sneaker"))
                .body("manifest.provenance.strategy", equalTo("pretrain"));

        var response = given().get("/api/models/1/bundle").then().statusCode(200).extract();
        byte[] bytes = response.asByteArray();
        assertThat(response.header("X-Argus-Sha256")).isEqualTo(Sha256.of(bytes));

        given().get("/api/models/7").then().statusCode(404).body("code", equalTo("UNKNOWN_VERSION"));
        given().get("/api/models/7/bundle").then().statusCode(404).body("code", equalTo("UNKNOWN_VERSION"));
    }
}
