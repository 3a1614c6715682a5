package io.argus.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DeadLetter;
import io.argus.common.contract.ImageHeaders;
import io.argus.common.contract.RawImage;
import io.argus.common.image.DecodeMemory;
import io.argus.common.image.FailingPngReaders;
import io.argus.common.image.HostileImages;
import io.argus.common.image.TestImages;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.Sha256;
import io.argus.common.topics.Topics;
import io.argus.inference.classify.ClassifyResource;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
class InferenceStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void producer() {
        producer = KafkaBrokerResource.kafka().reliableProducer("test-camera", KafkaClients.Payload.IMAGES);
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void aRecordProducedStraightToTheRawTopicIsClassifiedWithItsSourceAndModelVersion() throws Exception {
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED)) {
            RawImage image = new RawImage("direct-1", "cam-direct", Instant.parse("2026-11-22T07:00:00Z"), "image/png",
                    null, png(Color.WHITE));
            RecordMetadata sent = producer.send(image.toRecord(Topics.RAW)).get();

            Classification c = results(classified.read(1, WAIT)).get(0);

            assertThat(c.imageId()).isEqualTo("direct-1");
            assertThat(c.sensorId()).isEqualTo("cam-direct");
            assertThat(c.capturedAt()).isEqualTo(Instant.parse("2026-11-22T07:00:00Z"));
            assertThat(c.label()).isEqualTo("bright");
            assertThat(c.confidence()).isGreaterThan(0.99);
            assertThat(c.topK()).extracting(Classification.LabelScore::label).containsExactly("bright", "dark");
            assertThat(c.modelName()).isEqualTo("argus");
            assertThat(c.modelVersion()).isEqualTo(1);
            assertThat(c.source()).as("the exact record, with the checksum a label binds to").isEqualTo(
                    new Classification.Source(Topics.RAW, sent.partition(), sent.offset(), Sha256.of(image.bytes())));
            assertThat(c.timings().ingestedAt()).isEqualTo(Instant.ofEpochMilli(sent.timestamp()));
            assertThat(c.timings().classifiedAt()).isAfterOrEqualTo(c.timings().ingestedAt());
            assertThat(c.timings().batchSize()).isGreaterThanOrEqualTo(1);
            assertThat(c.reviewReason()).isNull();
        }
    }

    @Test
    void aRecordWithNoHeadersAtAll_asKcatWouldSendIt_isClassifiedToo() throws Exception {
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.RAW, "cam-bare", png(Color.WHITE))).get();

            Classification c = results(classified.read(1, WAIT)).get(0);

            assertThat(c.imageId()).isEqualTo(Topics.RAW + "-" + sent.partition() + "-" + sent.offset());
            assertThat(c.sensorId()).isEqualTo("cam-bare");
            assertThat(c.label()).isEqualTo("bright");
        }
    }

    @Test
    void unsureResultsAreAlsoSentToReviewWithTheReason() throws Exception {
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED);
             TopicReader review = TopicReader.fromNow(bootstrap(), Topics.REVIEW)) {
            send("unsure-1", "cam-r", png(Color.BLACK));
            send("sure-1", "cam-r", png(Color.WHITE));

            assertThat(results(classified.read(2, WAIT))).extracting(Classification::imageId)
                    .containsExactlyInAnyOrder("unsure-1", "sure-1");
            List<Classification> reviews = results(review.readUntilQuiet(Duration.ofSeconds(3)));
            assertThat(reviews).hasSize(1);
            assertThat(reviews.get(0).imageId()).isEqualTo("unsure-1");
            assertThat(reviews.get(0).confidence()).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(reviews.get(0).reviewReason()).contains("under the review threshold 0.600");
        }
    }

    @Test
    void poisonRecordsGoToTheDlqWithTheirReasonAndTheImagesBehindThemAreStillClassified() throws Exception {
        byte[] randomBytes = new byte[3000];
        new Random(5).nextBytes(randomBytes);
        randomBytes[0] = 0;
        byte[] truncatedPng = java.util.Arrays.copyOf(png(Color.WHITE), 40);
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(bootstrap(), Topics.DLQ)) {
            // One sensor, so all of them share one partition, in this order.
            send("ok-1", "cam-p", png(Color.WHITE));
            send("bad-random", "cam-p", randomBytes);
            send("ok-2", "cam-p", png(Color.WHITE));
            send("bad-truncated", "cam-p", truncatedPng);
            ProducerRecord<String, byte[]> garbled = new ProducerRecord<>(Topics.RAW, "cam-p", png(Color.WHITE));
            garbled.headers().add(new RecordHeader(ImageHeaders.IMAGE_ID, "bad-time".getBytes(StandardCharsets.UTF_8)));
            garbled.headers().add(new RecordHeader(ImageHeaders.CAPTURED_AT, "noon".getBytes(StandardCharsets.UTF_8)));
            producer.send(garbled).get();
            send("bad-empty", "cam-p", new byte[0]);
            send("ok-3", "cam-p", png(Color.WHITE));

            // Results are keyed by image id, so they spread over partitions: any order.
            assertThat(results(classified.read(3, WAIT))).extracting(Classification::imageId)
                    .containsExactlyInAnyOrder("ok-1", "ok-2", "ok-3");
            Map<String, ConsumerRecord<String, byte[]>> dead = dlq.read(4, WAIT).stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
            assertThat(dead).hasSize(4);
            assertDead(dead.get("bad-random"), "inference-decode", "UNSUPPORTED_FORMAT");
            assertDead(dead.get("bad-truncated"), "inference-decode", "CORRUPT_IMAGE");
            assertDead(dead.get("bad-empty"), "inference-decode", "EMPTY");
            assertDead(dead.values().stream().filter(r -> r.key().startsWith(Topics.RAW)).findFirst().orElseThrow(),
                    "inference-contract", "INVALID_HEADER");
            assertThat(dead.get("bad-random").value()).as("the original bytes").isEqualTo(randomBytes);
            assertThat(header(dead.get("bad-random"), DeadLetter.SOURCE)).startsWith(Topics.RAW + "/");
            assertThat(header(dead.get("bad-random"), ImageHeaders.IMAGE_ID)).isEqualTo("bad-random");
        }
    }

    /**
     * The attack of issue 15: a random record as large as the raw topic takes, produced straight to
     * it. Its dead-letter copy cannot carry it whole (the DLQ's limit is the same and the copy adds
     * headers): it carries a prefix, the original's size and SHA-256, and says it was truncated;
     * the images behind it, on its partition and on others, are classified.
     */
    @Test
    void aRecordTooLargeForTheDeadLetterTopicIsDeadLetteredTruncatedAndTheStreamGoesOn() throws Exception {
        byte[] giant = new byte[16_777_016];
        new Random(15).nextBytes(giant);
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(bootstrap(), Topics.DLQ)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.RAW, 0, "cam-giant", giant)).get();
            producer.send(onPartition(new RawImage("after-giant-same", "cam-giant", Instant.now(), null, null,
                    png(Color.WHITE)), 0)).get();
            producer.send(onPartition(new RawImage("after-giant-other", "cam-other", Instant.now(), null, null,
                    png(Color.WHITE)), 1)).get();

            assertThat(results(classified.read(2, WAIT))).extracting(Classification::imageId)
                    .containsExactlyInAnyOrder("after-giant-same", "after-giant-other");
            List<ConsumerRecord<String, byte[]>> dead = dlq.read(1, WAIT);
            assertThat(dead).hasSize(1);
            ConsumerRecord<String, byte[]> letter = dead.get(0);
            assertThat(letter.key()).isEqualTo(Topics.RAW + "-0-" + sent.offset());
            assertThat(header(letter, DeadLetter.STAGE)).isEqualTo("inference-decode");
            assertThat(header(letter, DeadLetter.SOURCE)).isEqualTo(Topics.RAW + "/0/" + sent.offset());
            assertThat(header(letter, DeadLetter.TRUNCATED)).isEqualTo("value");
            assertThat(header(letter, DeadLetter.ORIGINAL_BYTES)).isEqualTo("16777016");
            assertThat(header(letter, DeadLetter.ORIGINAL_SHA256)).isEqualTo(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(giant)));
            assertThat(letter.value().length).as("a prefix").isPositive().isLessThan(giant.length);
            assertThat(letter.value()).isEqualTo(java.util.Arrays.copyOf(giant, letter.value().length));
        }
    }

    @Test
    void theHostileCorpusIsClassifiedOrDeadLetteredWithItsReasonAndNothingStalls() throws Exception {
        List<HostileImages.Case> corpus = HostileImages.corpus();
        Map<String, String> refusedCodes = new java.util.HashMap<>();
        List<String> valid = new ArrayList<>();
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(bootstrap(), Topics.DLQ)) {
            for (int i = 0; i < corpus.size(); i++) {
                HostileImages.Case c = corpus.get(i);
                String id = "corpus-" + i;
                send(id, "cam-hostile", c.bytes());
                c.refusal().ifPresentOrElse(r -> refusedCodes.put(id, r.name()), () -> valid.add(id));
            }
            // A header far over the contract's 4 KB: a dead letter (keyed by its position), not a stall.
            ProducerRecord<String, byte[]> overlong = new ProducerRecord<>(Topics.RAW, "cam-hostile", png(Color.WHITE));
            overlong.headers().add(new RecordHeader(ImageHeaders.SENSOR_ID,
                    "x".repeat(RawImage.MAX_HEADER_BYTES + 1).getBytes(StandardCharsets.UTF_8)));
            producer.send(overlong).get();
            send("after-the-corpus", "cam-hostile", png(Color.WHITE));
            valid.add("after-the-corpus");

            assertThat(results(classified.read(valid.size(), WAIT))).extracting(Classification::imageId)
                    .containsExactlyInAnyOrderElementsOf(valid);
            Map<String, ConsumerRecord<String, byte[]>> dead = dlq.read(refusedCodes.size() + 1, WAIT).stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
            refusedCodes.forEach((id, code) -> assertDead(dead.get(id), "inference-decode", code));
            assertDead(dead.values().stream().filter(r -> r.key().startsWith(Topics.RAW)).findFirst().orElse(null),
                    "inference-contract", "INVALID_HEADER");
            assertThat(classified.readUntilQuiet(Duration.ofSeconds(2))).as("no duplicates").isEmpty();
        }
    }

    @Test
    void imagesArriving_togetherAreClassifiedInBatchesOfAtMostTheMaximum() throws Exception {
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                RawImage image = new RawImage("batch-" + i, "cam-b" + (i % 4), Instant.now(), "image/png", null,
                        png(Color.WHITE));
                sent.add(producer.send(image.toRecord(Topics.RAW)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }

            List<Classification> results = results(classified.read(40, WAIT));

            assertThat(results).hasSize(40);
            assertThat(results).extracting(Classification::imageId).doesNotHaveDuplicates();
            int biggest = results.stream().mapToInt(c -> c.timings().batchSize()).max().orElse(0);
            assertThat(biggest).as("largest batch").isGreaterThan(1).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void theSynchronousEndpointClassifiesWithTheSameModelAndRefusesBrokenImages() throws Exception {
        given().contentType("image/png").body(png(Color.WHITE)).post("/api/classify")
                .then().statusCode(200)
                .body("label", equalTo("bright"))
                .body("modelVersion", equalTo(1));
        given().contentType("image/png").body("garbage".getBytes(StandardCharsets.UTF_8)).post("/api/classify")
                .then().statusCode(415).body("code", equalTo("UNSUPPORTED_FORMAT"));
    }

    @Inject
    ClassifyResource classify;

    @Inject
    MeterRegistry meters;

    @Test
    void aBatchWhoseDecoderRunsOutOfMemoryIsReadAgainAfterAPauseAndClassifiedOnceThereIsMemory() throws Exception {
        // RGBA, so ImageIO's reader decodes it (not the plain-PNG path), and the failing reader's width.
        byte[] rgba = TestImages.encode(
                TestImages.solid(FailingPngReaders.WIDTH, 3, BufferedImage.TYPE_4BYTE_ABGR, Color.WHITE), "png");
        double before = decoderBusy();
        try (TopicReader classified = TopicReader.fromNow(bootstrap(), Topics.CLASSIFIED)) {
            try (FailingPngReaders outOfMemory = FailingPngReaders.install(FailingPngReaders::pngOutOfMemory)) {
                send("oom-1", "oom-cam", rgba);
                await().atMost(WAIT).until(() -> decoderBusy() > before);
                double first = decoderBusy();
                Thread.sleep(4000);
                // At most one try a second (ClassificationLoop.DECODER_BUSY_PAUSE_MS). Without the pause,
                // only the consumer's fetch wait paced it here (eight in 4 s on this idle topic; on a
                // busy one, as fast as the loop runs).
                assertThat(decoderBusy() - first).as("tries in 4 s").isBetween(2.0, 4.0);
            }
            Classification c = results(classified.read(1, WAIT)).get(0);
            assertThat(c.imageId()).isEqualTo("oom-1");
            assertThat(c.label()).isEqualTo("bright");
        }
    }

    private double decoderBusy() {
        return meters.find("argus.inference.decoder.busy").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void whileTheSynchronousEndpointsDecodersHaveNoRoomItAnswers503AndTheImageIsClassifiedWhenSentAgain()
            throws Exception {
        byte[] image = png(Color.WHITE);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().contentType("image/png").body(image)
                .post("/api/classify").then().statusCode(200));
        DecodeMemory memory = classify.decodeMemory();
        try (DecodeMemory.Claim everything = memory.claim(memory.budgetBytes())) {
            given().contentType("image/png").body(image).post("/api/classify")
                    .then().statusCode(503).header("Retry-After", notNullValue()).body("code", equalTo("DECODER_BUSY"));
        }
        given().contentType("image/png").body(image).post("/api/classify").then().statusCode(200)
                .body("label", equalTo("bright"));
    }

    @Test
    void readinessNamesTheLoadedModelAndItsEngineOnnxRuntimeByDefault() {
        // Not ready until the model is loaded, which may still be under way when this test runs first.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.version", equalTo(1))
                .body("checks.find { it.name == 'model' }.data.engine", equalTo("onnxruntime (CPU)")));
    }

    private void send(String imageId, String sensor, byte[] bytes) throws Exception {
        producer.send(new RawImage(imageId, sensor, Instant.now(), null, null, bytes).toRecord(Topics.RAW)).get();
    }

    private static ProducerRecord<String, byte[]> onPartition(RawImage image, int partition) {
        ProducerRecord<String, byte[]> r = image.toRecord(Topics.RAW);
        return new ProducerRecord<>(r.topic(), partition, r.key(), r.value(), r.headers());
    }

    private static void assertDead(ConsumerRecord<String, byte[]> r, String stage, String code) {
        assertThat(r).as("dead letter").isNotNull();
        assertThat(header(r, DeadLetter.STAGE)).isEqualTo(stage);
        assertThat(header(r, DeadLetter.ERROR_CODE)).isEqualTo(code);
        assertThat(header(r, DeadLetter.MESSAGE)).isNotBlank();
    }

    static List<Classification> results(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> Json.read(r.value(), Classification.class)).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static String bootstrap() {
        return KafkaBrokerResource.broker().bootstrapServers();
    }

    static byte[] png(Color colour) throws Exception {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
