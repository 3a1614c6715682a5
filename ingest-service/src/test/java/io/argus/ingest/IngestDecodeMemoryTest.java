package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.awt.image.BufferedImage;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.argus.common.image.DecodeMemory;
import io.argus.common.image.HostileImages;
import io.argus.common.image.TestImages;
import io.argus.common.testing.TestSettings;
import io.argus.common.topics.Topics;
import io.argus.ingest.validation.ImageValidator;
import io.argus.local.testing.TopicReader;
import io.argus.local.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Large valid images arriving together (issue 15 §4): 7000x7000 16-bit RGBA PNGs of about 390 KB
 * each, 392 MB each once decoded in full. Decoding is memory the service may not have at that
 * moment; that is never the image's fault, so the answer is 202 or 503 with a Retry-After, never a
 * 4xx that tells the camera its file is broken, and every one of them is accepted when sent again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
// The default image limits (so a 49-megapixel image is allowed) and a decode budget for about two at once.
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "argus.images.max-bytes", value = "10485760"),
        @ResourceArg(name = "argus.images.max-pixels", value = "50000000"),
        @ResourceArg(name = "argus.images.decode-memory", value = "20000000"),
        @ResourceArg(name = "argus.images.decode-wait", value = "100ms")})
class IngestDecodeMemoryTest {

    private static final int CAMERAS = 8;

    @Test
    void largeImagesArrivingTogetherAreAcceptedOrAskedToRetryNeverCalledBrokenAndAllAreAcceptedAgain()
            throws Exception {
        byte[] png = TestImages.flatPng16(7000, 7000);
        assertThat(png.length).as("a mostly flat PNG compresses well").isLessThan(450_000);

        ExecutorService cameras = Executors.newFixedThreadPool(CAMERAS);
        List<Future<Response>> sent = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < CAMERAS; i++) {
                String id = "large-" + i;
                sent.add(cameras.submit(() -> {
                    go.await();
                    return post(id, png);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (int i = 0; i < CAMERAS; i++) {
                Response answer = sent.get(i).get(3, TimeUnit.MINUTES);
                int status = answer.statusCode();
                assertThat(status).as("camera %d: %s", i, answer.asString()).isIn(202, 503);
                if (status == 503) {
                    assertThat(answer.header("Retry-After")).as("camera %d", i).isNotBlank();
                    assertThat(answer.jsonPath().getString("code")).isEqualTo("DECODER_BUSY");
                } else {
                    accepted++;
                }
            }
            System.out.printf("%d large images at once: %d accepted, %d asked to retry%n", CAMERAS, accepted,
                    CAMERAS - accepted);
        } finally {
            cameras.shutdownNow();
        }

        // Each camera sends its image again (same id, as the API asks), now that the others are done.
        for (int i = 0; i < CAMERAS; i++) {
            Response again = post("large-" + i, png);
            assertThat(again.statusCode()).as("camera %d again: %s", i, again.asString()).isEqualTo(202);
        }
    }

    @Inject
    ImageValidator validator;

    @Test
    void whileTheDecodersHaveNoRoomAnImageAndAWholeBatchGet503AndNothingIsPublished() throws Exception {
        byte[] png = TestImages.encode(HostileImages.scene(64, 48, BufferedImage.TYPE_INT_RGB), "png");
        DecodeMemory memory = validator.decodeMemory();
        try (TopicReader raw = TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(), Topics.RAW)) {
            try (DecodeMemory.Claim everything = memory.claim(memory.budgetBytes())) {
                given().contentType("image/png").body(png).post("/api/images")
                        .then().statusCode(503).header("Retry-After", notNullValue())
                        .body("code", equalTo("DECODER_BUSY")).body("message", notNullValue());
                given().multiPart("file", "a.png", png, "image/png").multiPart("file", "b.png", png, "image/png")
                        .post("/api/images")
                        .then().statusCode(503).header("Retry-After", notNullValue())
                        .body("code", equalTo("DECODER_BUSY"));
            }
            assertThat(raw.readUntilQuiet(Duration.ofSeconds(2))).as("nothing answered 503 is stored").isEmpty();

            given().contentType("image/png").body(png).post("/api/images").then().statusCode(202);
            given().multiPart("file", "a.png", png, "image/png").multiPart("file", "b.png", png, "image/png")
                    .post("/api/images").then().statusCode(202);
            assertThat(raw.read(3, Duration.ofSeconds(20))).hasSize(3);
        }
        assertThat(given().get("/q/metrics").asString())
                .contains("argus_ingest_images_total{outcome=\"unavailable\",reason=\"DECODER_BUSY\"");
    }

    private static Response post(String imageId, byte[] png) {
        return given().contentType("image/png").header("X-Image-Id", imageId).body(png).post("/api/images");
    }
}
