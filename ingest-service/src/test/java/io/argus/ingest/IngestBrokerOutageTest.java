package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.ImageHeaders;
import io.argus.common.image.HostileImages;
import io.argus.common.image.TestImages;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;
import io.argus.local.testing.BrokerOutage;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The broker goes away under ingest and comes back: while it is away every image is answered 503
 * with a Retry-After and none is stored; afterwards ingest accepts again by itself, and exactly the
 * accepted images are on the raw topic.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class IngestBrokerOutageTest {

    @Test
    void whileKafkaIsAwayImagesGet503WithRetryAfterAndIngestRecoversAlone() throws Exception {
        ArgusBroker broker = KafkaBrokerResource.broker();
        byte[] png = TestImages.encode(HostileImages.scene(24, 24, BufferedImage.TYPE_INT_RGB), "png");
        List<String> accepted = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();

        assertThat(post("before-1", png).statusCode()).isEqualTo(202);
        accepted.add("before-1");

        broker.stop();
        try {
            for (int i = 0; i < 3; i++) {
                BrokerOutage.assertKafkaUnavailable(post("during-" + i, png));
                unavailable.add("during-" + i);
            }
        } finally {
            broker.start();
        }

        // Ingest's producer reconnects by itself; nothing is restarted.
        AtomicInteger attempt = new AtomicInteger();
        BrokerOutage.awaitTakenAgain(() -> {
            String id = "after-" + attempt.getAndIncrement();
            int status = post(id, png).statusCode();
            (status == 202 ? accepted : unavailable).add(id);
            return status;
        }, 202);

        try (TopicReader raw = TopicReader.fromStart(broker.bootstrapServers(), Topics.RAW)) {
            List<String> stored = raw.readUntilQuiet(Duration.ofSeconds(3)).stream()
                    .map(IngestBrokerOutageTest::imageId).filter(id -> id != null).toList();
            assertThat(stored).containsAll(accepted);
            assertThat(stored).as("images answered 503 were not stored").doesNotContainAnyElementsOf(unavailable);
        }
    }

    private static Response post(String imageId, byte[] png) {
        return given().contentType("image/png").header("X-Image-Id", imageId).body(png).post("/api/images");
    }

    private static String imageId(ConsumerRecord<String, byte[]> r) {
        var h = r.headers().lastHeader(ImageHeaders.IMAGE_ID);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
