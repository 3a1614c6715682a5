package io.argus.inference;

import static io.restassured.RestAssured.given;
import static io.argus.inference.InferenceTestResource.producer;
import static io.argus.inference.InferenceTestResource.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.IntBinaryOperator;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.json.Json;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.onnx.ExportedBundles;
import io.argus.common.ood.OodFit;
import io.argus.common.model.OodReference;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Images unlike the training data in the running service, on a real broker. The brightness
 * model's training data here is flat bright images: patterned ones (checkerboards, stripes), though
 * just as bright and answered just as confidently, are unlike it, carry an out-of-distribution score
 * over the model's threshold in the classified record and go to review saying so; flat bright images
 * mostly do not. A bundle made before bundles carried the statistics (the v1 the service starts
 * with) is served without the score.
 */
@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OodServingTest {

    private static final double WEIGHT = 5.0;
    private static final int SIZE = 8;

    @Test
    @Order(1)
    void aBundleWithoutStatisticsIsServedWithoutTheScore() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 1);
        assertThat(oodDetail()).startsWith("off");
        try (TopicReader classified = reader(Topics.CLASSIFIED); KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "old-", 10, (i, j) -> 200);
            send(producer, "old-pattern-", 10, (i, j) -> (i + j) % 2 == 0 ? 255 : 150);
            List<Classification> results = classified.read(20, Duration.ofSeconds(60)).stream()
                    .map(r -> Json.read(r.value(), Classification.class)).toList();
            assertThat(results).hasSize(20).allSatisfy(c -> assertThat(c.ood()).isNull());
        }
    }

    @Test
    @Order(2)
    void patternedImagesAreUnlikeTheFlatTrainingImagesAndGoToReviewSayingSo() throws Exception {
        InferenceTestResource.promote(withStatistics(BrightnessModel.bundle("argus", 2, WEIGHT)));
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 2);
        assertThat(oodDetail()).startsWith("on (threshold ");
        Random random = new Random(4);
        try (TopicReader classified = reader(Topics.CLASSIFIED); TopicReader review = reader(Topics.REVIEW);
             KafkaProducer<String, byte[]> producer = producer()) {
            for (int k = 0; k < 100; k++) {
                int level = 179 + random.nextInt(77);
                send(producer, "flat-" + k + "-", 1, (i, j) -> level);
            }
            send(producer, "checker-", 10, (i, j) -> (i + j) % 2 == 0 ? 255 : 150);
            send(producer, "stripes-", 10, (i, j) -> i < SIZE / 2 ? 255 : 170);
            List<Classification> results = classified.read(120, Duration.ofSeconds(60)).stream()
                    .map(r -> Json.read(r.value(), Classification.class)).toList();
            assertThat(results).hasSize(120).allSatisfy(c -> {
                assertThat(c.modelVersion()).isEqualTo(2);
                assertThat(c.ood()).as("every result of a model with statistics has the score").isNotNull();
                assertThat(c.label()).isEqualTo("bright");
                assertThat(c.confidence()).as("confident: no confidence rule sends it to review").isGreaterThan(0.99);
            });
            List<Classification> patterned = results.stream().filter(c -> !c.imageId().startsWith("flat-")).toList();
            assertThat(patterned).hasSize(20).allSatisfy(c -> assertThat(c.ood().over())
                    .as("%s: score %.3f, threshold %.3f", c.imageId(), c.ood().score(), c.ood().threshold()).isTrue());
            long flatOver = results.stream().filter(c -> c.imageId().startsWith("flat-") && c.ood().over()).count();
            // Fitted at the 96th percentile of held-out flat images: about 4 of 100 expected.
            assertThat(flatOver).as("flat bright images over the threshold").isLessThanOrEqualTo(10);

            List<Classification> reviewed = review.read(20 + (int) flatOver, Duration.ofSeconds(60)).stream()
                    .map(r -> Json.read(r.value(), Classification.class)).toList();
            assertThat(reviewed).filteredOn(c -> !c.imageId().startsWith("flat-")).hasSize(20)
                    .allSatisfy(c -> {
                        assertThat(c.reviewReason()).startsWith("unlike the training data: out-of-distribution score");
                        assertThat(c.ood().over()).isTrue();
                    });
            assertThat(review.readUntilQuiet(Duration.ofSeconds(3))).as("nothing else reviewed").isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ServiceProbe.metric("argus_images_review_total{reason=\"unlike_training_data\"")).isGreaterThanOrEqualTo(20));
    }

    /** The bundle with statistics fitted on flat bright images, as a training run would fit them. */
    private static ModelBundle withStatistics(ModelBundle bundle) {
        float[] fit = flatImages(400, new Random(5));
        float[] held = flatImages(400, new Random(6));
        OodReference reference = OodFit.fit(bundle.network(), bundle.manifest().inputSpec(), fit, new int[400], 2,
                held, 400, OodFit.Settings.DEFAULTS);
        BundleManifest m = bundle.manifest();
        return ExportedBundles.of(BundleManifest.builder(m.name(), m.version(), m.labels(), m.inputSpec())
                .provenance(m.provenance()).ood(reference).build(), bundle.network());
    }

    /** {@code count} flat images of grey levels 179..255, as the network reads them (0..1). */
    private static float[] flatImages(int count, Random random) {
        float[] out = new float[count * SIZE * SIZE];
        for (int i = 0; i < count; i++) {
            float v = (179 + random.nextInt(77)) / 255f;
            java.util.Arrays.fill(out, i * SIZE * SIZE, (i + 1) * SIZE * SIZE, v);
        }
        return out;
    }

    private static String oodDetail() {
        return given().get("/q/health/ready").path("checks.find { it.name == 'model' }.data.ood");
    }

    /** {@code count} images of one camera, pixel (row i, column j) of grey level {@code level(i, j)}. */
    private static void send(KafkaProducer<String, byte[]> producer, String prefix, int count,
                             IntBinaryOperator level) throws Exception {
        for (int k = 0; k < count; k++) {
            producer.send(new RawImage(prefix + k, "cam-1", Instant.now(), "image/png", null, png(level))
                    .toRecord(Topics.RAW));
        }
        producer.flush();
    }

    private static byte[] png(IntBinaryOperator level) throws Exception {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
                img.getRaster().setSample(j, i, 0, level.applyAsInt(i, j));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
