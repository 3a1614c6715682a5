package io.argus.inference;

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

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DriftEvent;
import io.argus.common.contract.RawImage;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.onnx.ExportedBundles;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.DriftReference;
import io.argus.common.model.ModelBundle;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Drift per sensor in the running service, on a real broker. The brightness model is sure of
 * bright images (confidence above 0.999) and unsure of dark ones; its reference is bright images. A
 * camera that starts sending dark images is flagged, the event reaches {@code argus.sensors.drift},
 * more of its results go to review saying it drifted, and it is cleared once it is bright again. A
 * bundle made before bundles carried a reference (the brightness model v1 the service starts with)
 * is served with drift off.
 */
@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftServingTest {

    private static final double WEIGHT = 5.0;

    @Test
    @Order(1)
    void aBundleWithoutReferenceStatisticsIsServedWithDriftOff() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 1);
        try (TopicReader classified = reader(Topics.CLASSIFIED); KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "old-bundle-", "cam-old", 120, 0, 60, new Random(1));
            assertThat(classified.read(120, Duration.ofSeconds(60))).as("classified as ever").hasSize(120);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ServiceProbe.metric("argus_drift_enabled")).isEqualTo(0.0);
            assertThat(ServiceProbe.metric("argus_drift_score{sensor=\"cam-old\"")).as("not watched").isEqualTo(0.0);
        });
    }

    @Test
    @Order(2)
    void aCameraThatTurnsDarkIsFlaggedOnTheDriftTopicAndClearedWhenItIsBrightAgain() throws Exception {
        InferenceTestResource.promote(withReference(BrightnessModel.bundle("argus", 2, WEIGHT)));
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 2);
        // No wait: drift is pointed at the new reference before the version is announced as served.
        assertThat(ServiceProbe.metric("argus_drift_enabled")).as("on as soon as v2 is served").isEqualTo(1.0);
        assertThat(ServiceProbe.metric("argus_drift_embedding_enabled"))
                .as("its reference has no embedding summary: that part is off").isEqualTo(0.0);
        assertThat(ServiceProbe.metric("argus_drift_threshold")).as("the line a dashboard draws").isEqualTo(0.25);
        assertThat(ServiceProbe.metric("argus_drift_clear_below")).isEqualTo(0.10);
        Random random = new Random(2);
        try (TopicReader drift = reader(Topics.DRIFT); TopicReader review = reader(Topics.REVIEW);
             TopicReader classified = reader(Topics.CLASSIFIED); KafkaProducer<String, byte[]> producer = producer()) {
            // Both cameras ordinary: a window's worth each, no event.
            send(producer, "steady-", "cam-steady", 150, 179, 255, random);
            send(producer, "turning-a-", "cam-turning", 150, 179, 255, random);
            classified.read(300, Duration.ofSeconds(60));
            // cam-turning goes dark.
            send(producer, "turning-b-", "cam-turning", 150, 0, 60, random);
            List<ConsumerRecord<String, byte[]>> flagged = drift.read(1, Duration.ofSeconds(60));
            assertThat(flagged).hasSize(1);
            assertThat(flagged.get(0).key()).isEqualTo("cam-turning");
            DriftEvent event = Json.read(flagged.get(0).value(), DriftEvent.class);
            assertThat(event.state()).isEqualTo(DriftEvent.State.DRIFTED);
            assertThat(event.sensorId()).isEqualTo("cam-turning");
            assertThat(event.modelVersion()).isEqualTo(2);
            assertThat(event.score()).isGreaterThanOrEqualTo(event.threshold());
            assertThat(event.reason()).contains("sensor cam-turning drifted");
            assertThat(event.embedding()).as("no embedding part").isNull();
            assertThat(event.part()).as("the part that crossed").isIn("confidence", "class");
            assertThat(event.reason()).contains(event.part() + " part");
            classified.read(150, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(ServiceProbe.metric("argus_drift_drifted{sensor=\"cam-turning\"")).isEqualTo(1.0);
                assertThat(ServiceProbe.metric("argus_drift_drifted{sensor=\"cam-steady\"")).isEqualTo(0.0);
            });

            // Flagged: a larger share of its results goes to review, saying why.
            send(producer, "turning-c-", "cam-turning", 60, 0, 60, random);
            List<Classification> reviewed = review.readUntilQuiet(Duration.ofSeconds(3)).stream()
                    .map(r -> Json.read(r.value(), Classification.class)).toList();
            assertThat(reviewed).filteredOn(c -> c.imageId().startsWith("turning-c-")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.reviewReason()).contains("sensor cam-turning drifted"));

            // Bright again: cleared once its window is ordinary, and only once.
            send(producer, "turning-d-", "cam-turning", 300, 179, 255, random);
            List<ConsumerRecord<String, byte[]>> cleared = drift.read(1, Duration.ofSeconds(60));
            assertThat(cleared).hasSize(1);
            assertThat(Json.read(cleared.get(0).value(), DriftEvent.class).state()).isEqualTo(DriftEvent.State.CLEARED);
            assertThat(drift.readUntilQuiet(Duration.ofSeconds(3))).as("no other event: cam-steady never drifted")
                    .isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ServiceProbe.metric("argus_drift_drifted{sensor=\"cam-turning\"")).isEqualTo(0.0);
            assertThat(ServiceProbe.metric("argus_drift_events_total{state=\"drifted\"")).isEqualTo(1.0);
        });
    }

    /** The brightness model's answers on bright images (grey levels 179..255), as its bundle's reference. */
    private static ModelBundle withReference(ModelBundle bundle) {
        Random random = new Random(3);
        float[][] rows = new float[5000][];
        for (int i = 0; i < rows.length; i++) {
            double m = (179 + random.nextInt(77)) / 255.0;
            float bright = (float) (1 / (1 + Math.exp(-2 * WEIGHT * m)));
            rows[i] = new float[] {bright, 1 - bright};
        }
        BundleManifest m = bundle.manifest();
        return ExportedBundles.of(BundleManifest.builder(m.name(), m.version(), m.labels(), m.inputSpec())
                .provenance(m.provenance()).driftReference(DriftReference.of(rows, "bright images")).build(),
                bundle.network());
    }

    /** {@code count} images of one sensor, each one grey level drawn from {@code low..high}. */
    private static void send(KafkaProducer<String, byte[]> producer, String prefix, String sensor, int count, int low,
                             int high, Random random) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new RawImage(prefix + i, sensor, Instant.now(), "image/png", null,
                    png(low + random.nextInt(high - low + 1))).toRecord(Topics.RAW));
        }
        producer.flush();
    }

    private static byte[] png(int level) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.getRaster().setSample(x, y, 0, level);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
