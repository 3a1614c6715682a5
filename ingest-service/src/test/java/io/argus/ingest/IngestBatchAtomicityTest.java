package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.image.HostileImages;
import io.argus.common.image.TestImages;
import io.argus.common.testing.TestSettings;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;
import io.argus.local.testing.BrokerOutage;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A batch upload is all or nothing, also when Kafka fails in the middle of it: the broker is
 * stopped once the batch's first image is on it (the fault {@code
 * argus.ingest.fault.batch-pause-after-first} holds the rest back meanwhile). The answer is 503 with
 * Retry-After, and no image of that batch is ever visible to a read_committed reader (every Argus
 * consumer), though the first one reached the broker's log; the next batch, once the broker is
 * back, is stored whole.
 */
@QuarkusTest
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "argus.ingest.fault.batch-pause-after-first", value = "3s"))
@QuarkusTestResource(KafkaBrokerResource.class)
class IngestBatchAtomicityTest {

    @Test
    void aBatchCutByABrokerFailureIsAnswered503AndNoneOfItsImagesIsEverStored() throws Exception {
        ArgusBroker broker = KafkaBrokerResource.broker();
        byte[] png = TestImages.encode(HostileImages.scene(24, 24, BufferedImage.TYPE_INT_RGB), "png");
        String cut = "atomic-cut-" + System.nanoTime();

        BrokerOutage.assertKafkaUnavailable(BrokerOutage.cutOnceOnTheLog(Topics.RAW, cut, () -> batch(cut, png, 3)));

        // Ingest recovers by itself; the next batch is stored whole.
        String after = "atomic-after-" + System.nanoTime();
        BrokerOutage.awaitTakenAgain(() -> batch(after, png, 2).statusCode(), 202);

        try (TopicReader raw = TopicReader.fromStart(broker.bootstrapServers(), Topics.RAW)) {
            List<String> sensors = raw.readUntilQuiet(Duration.ofSeconds(3)).stream().map(ConsumerRecord::key).toList();
            assertThat(sensors.stream().filter(after::equals)).as("the batch after the outage, whole").hasSize(2);
            assertThat(sensors.stream().filter(cut::equals)).as("images of the cut batch a read_committed reader sees")
                    .isEmpty();
        }
    }

    private static Response batch(String sensor, byte[] png, int files) {
        var request = given().multiPart("sensorId", sensor);
        for (int i = 0; i < files; i++) {
            request = request.multiPart("file", "f" + i + ".png", png, "image/png");
        }
        return request.post("/api/images");
    }
}
