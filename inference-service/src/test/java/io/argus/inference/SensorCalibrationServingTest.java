package io.argus.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.image.SensorCalibration;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A model version that calibrates one sensor's images (here: inverts them) applies it to that
 * sensor's images only, on the stream and on the synchronous API alike. The brightness model is
 * sure a white image is bright; a white image inverted is black, about which it is split 50/50.
 */
@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
class SensorCalibrationServingTest {

    @Test
    void onlyTheCalibratedSensorsImagesAreCalibrated() throws Exception {
        SensorCalibration inverted = new SensorCalibration(0, new float[] {1f, 0f}, null);
        StoredModel v2 = InferenceTestResource.promote(BrightnessModel.bundle("argus", 2, 5.0,
                Map.of("cam-inverted", inverted)));
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 2);

        try (TopicReader classified = TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(),
                Topics.CLASSIFIED);
             KafkaProducer<String, byte[]> producer = KafkaBrokerResource.kafka()
                     .reliableProducer("test-camera", KafkaClients.Payload.IMAGES)) {
            byte[] white = InferenceStreamTest.png(Color.WHITE);
            producer.send(new RawImage("white-inverted", "cam-inverted", Instant.now(), "image/png", null, white)
                    .toRecord(Topics.RAW)).get();
            producer.send(new RawImage("white-plain", "cam-plain", Instant.now(), "image/png", null, white)
                    .toRecord(Topics.RAW)).get();

            List<Classification> results = classified.read(2, Duration.ofSeconds(60)).stream()
                    .map(r -> Json.read(r.value(), Classification.class)).toList();
            assertThat(results).allMatch(c -> c.modelVersion() == v2.manifest().version());
            assertThat(results.stream().filter(c -> c.imageId().equals("white-inverted")).findFirst().orElseThrow()
                    .confidence()).as("seen as black").isLessThan(0.6);
            assertThat(results.stream().filter(c -> c.imageId().equals("white-plain")).findFirst().orElseThrow()
                    .confidence()).as("seen as white").isGreaterThan(0.99);
        }
        given().contentType("image/png").header("X-Sensor-Id", "cam-inverted")
                .body(InferenceStreamTest.png(Color.WHITE)).post("/api/classify")
                .then().statusCode(200).body("confidence", lessThan(0.6f));
        given().contentType("image/png").body(InferenceStreamTest.png(Color.WHITE)).post("/api/classify")
                .then().statusCode(200).body("label", equalTo("bright")).body("confidence", greaterThan(0.99f));
    }
}
