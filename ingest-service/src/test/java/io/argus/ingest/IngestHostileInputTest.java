package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.rest.ErrorResponses;
import io.argus.common.contract.RawImage;
import io.argus.common.image.HostileImages;
import io.argus.common.image.HostileImages.Case;
import io.argus.common.image.TestImages;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The hostile corpus through the REST API and a real broker: each refused file gets its status
 * and code and reaches no topic; each valid file, unusual or not, is published byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class IngestHostileInputTest {

    /** {@code argus.images.max-bytes} in the test profile. */
    private static final int MAX_BYTES = 300_000;

    @Test
    void everyCorpusFileIsRefusedWithItsStatusAndCodeOrPublishedUnchanged() throws Exception {
        List<Case> corpus = HostileImages.corpus();
        try (TopicReader raw = TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(), Topics.RAW)) {
            int accepted = 0;
            for (Case c : corpus) {
                var answer = given().contentType(c.contentType()).header("X-Image-Id", "corpus-" + accepted)
                        .body(c.bytes()).post("/api/images").then();
                if (c.refusal().isPresent()) {
                    answer.statusCode(ErrorResponses.status(c.refusal().get().problem()))
                            .body("code", equalTo(c.refusal().get().name()))
                            .body("message", notNullValue());
                } else {
                    answer.statusCode(202);
                    accepted++;
                }
            }

            List<ConsumerRecord<String, byte[]>> published = raw.read(accepted, Duration.ofSeconds(30));
            assertThat(published).extracting(ConsumerRecord::value).containsExactlyElementsOf(corpus.stream()
                    .filter(c -> c.refusal().isEmpty()).map(Case::bytes).toList());
            assertThat(raw.readUntilQuiet(Duration.ofSeconds(2))).as("nothing refused reaches Kafka").isEmpty();
        }
    }

    @Test
    void aFileExactlyAtTheSizeLimitIsAcceptedAndOneByteMoreIsRefusedBeforeDecoding() {
        byte[] png = TestImages.encode(HostileImages.scene(32, 32, BufferedImage.TYPE_INT_RGB), "png");
        byte[] atLimit = HostileImages.concat(png, new byte[MAX_BYTES - png.length]);

        given().contentType("image/png").body(atLimit).post("/api/images").then().statusCode(202);
        given().contentType("image/png").body(HostileImages.concat(atLimit, new byte[1])).post("/api/images")
                .then().statusCode(413).body("code", equalTo("TOO_LARGE"));
    }

    @Test
    void overlongHeadersAreRefusedClearly() {
        byte[] png = TestImages.encode(HostileImages.scene(16, 16, BufferedImage.TYPE_INT_RGB), "png");
        String longId = "cam-" + "x".repeat(500);
        String longMeta = "{\"note\":\"" + "y".repeat(RawImage.MAX_HEADER_BYTES) + "\"}";

        given().contentType("image/png").header("X-Sensor-Id", longId).body(png).post("/api/images")
                .then().statusCode(400).body("code", equalTo("INVALID_HEADER")).body("message", notNullValue());
        given().contentType("image/png").header("X-Image-Id", longId).body(png).post("/api/images")
                .then().statusCode(400).body("code", equalTo("INVALID_HEADER"));
        given().contentType("image/png").header("X-Argus-Meta", longMeta).body(png).post("/api/images")
                .then().statusCode(400).body("code", equalTo("INVALID_HEADER"));
    }
}
