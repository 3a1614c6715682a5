package io.argus.trainer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import io.argus.common.contract.Classification;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.Sha256;
import io.argus.common.contract.RawImage;
import io.argus.common.contract.ShadowResult;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;

/** What ingest and inference would have written, for trainer tests. */
final class TrainerKafka {

    /** The sensor and capture time of the images {@link #classified} puts on the raw topic. */
    static final String SENSOR = "cam-t";
    static final Instant CAPTURED_AT = Instant.parse("2026-11-23T07:00:00Z");

    private static final Map<String, KafkaProducer<String, byte[]>> PRODUCERS = new ConcurrentHashMap<>();

    private TrainerKafka() {
    }

    /** Where the test broker listens. */
    static String bootstrap() {
        return KafkaBrokerResource.broker().bootstrapServers();
    }

    /** What retention does to an old image: the log start of its partition moves past its record. */
    static void expire(RecordMetadata raw) throws Exception {
        try (Admin admin = KafkaBrokerResource.kafka().admin("test")) {
            admin.deleteRecords(Map.of(new TopicPartition(raw.topic(), raw.partition()),
                    RecordsToDelete.beforeOffset(raw.offset() + 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * What inference does with an image it is unsure about: the image on the raw topic, its
     * result on the classified topic and on the review topic (with the reason).
     */
    static RecordMetadata reviewed(String imageId, byte[] png, double confidence) throws Exception {
        try (KafkaProducer<String, byte[]> p = KafkaBrokerResource.kafka()
                .reliableProducer("test-inference", KafkaClients.Payload.IMAGES)) {
            Instant captured = Instant.parse("2026-11-23T06:00:00Z");
            RecordMetadata raw = p.send(new RawImage(imageId, "cam-review", captured, "image/png", null, png)
                    .toRecord(Topics.RAW)).get(30, TimeUnit.SECONDS);
            Classification c = Classification.builder().image(imageId, "cam-review", captured)
                    .topK(List.of(new Classification.LabelScore("Shirt", confidence),
                            new Classification.LabelScore("T-shirt/top", confidence / 2))).model("argus", 1)
                    .source(new Classification.Source(Topics.RAW, raw.partition(), raw.offset(), Sha256.of(png)))
                    .timings(new Classification.Timings(Instant.now(), Instant.now(), 1, 1, 1)).build();
            p.send(new ProducerRecord<>(Topics.CLASSIFIED, imageId, Json.write(c))).get(30, TimeUnit.SECONDS);
            p.send(new ProducerRecord<>(Topics.REVIEW, imageId, Json.write(c.forReview("confidence under 0.6"))))
                    .get(30, TimeUnit.SECONDS);
            return raw;
        }
    }

    /** Puts an image on the raw topic and its classification on the classified topic; returns the raw position. */
    static RecordMetadata classified(String imageId, byte[] png) throws Exception {
        return classified(imageId, png, SENSOR, 1, "Bag", 0.4);
    }

    /** As above, with the sensor, the version that served it and what that version said. */
    static RecordMetadata classified(String imageId, byte[] png, String sensor, int version, String label,
                                     double confidence) throws Exception {
        // One producer per broker for the test JVM: a producer per image made tests that serve hundreds slow.
        KafkaProducer<String, byte[]> p = PRODUCERS.computeIfAbsent(KafkaBrokerResource.broker().bootstrapServers(),
                bootstrap -> KafkaClients.bootstrap(bootstrap).reliableProducer("test-inference",
                        KafkaClients.Payload.IMAGES));
        RecordMetadata raw = p.send(new RawImage(imageId, sensor, CAPTURED_AT, "image/png", null, png)
                .toRecord(Topics.RAW)).get(30, TimeUnit.SECONDS);
        Classification c = Classification.builder().image(imageId, sensor, CAPTURED_AT)
                .topK(List.of(new Classification.LabelScore(label, confidence))).model("argus", version)
                .source(new Classification.Source(Topics.RAW, raw.partition(), raw.offset(), Sha256.of(png)))
                .timings(new Classification.Timings(Instant.now(), Instant.now(), 1, 1, 1)).build();
        p.send(new ProducerRecord<>(Topics.CLASSIFIED, imageId, Json.write(c))).get(30, TimeUnit.SECONDS);
        return raw;
    }

    /**
     * What inference does with an image while a candidate runs in shadow: the image on the raw
     * topic, the champion's (v1's) result on the classified topic, and both answers on the shadow
     * topic, naming the same raw record. Returns the shadow result.
     */
    static ShadowResult shadowed(String imageId, byte[] png, String sensor, String championSaid,
                                 double championConfidence, int candidate, String candidateSaid) throws Exception {
        RecordMetadata raw = classified(imageId, png, sensor, 1, championSaid, championConfidence);
        ShadowResult r = new ShadowResult(ShadowResult.SCHEMA_VERSION, imageId, sensor, CAPTURED_AT, "argus",
                new ShadowResult.Answer(1, championSaid, championConfidence),
                new ShadowResult.Answer(candidate, candidateSaid, 0.7),
                new Classification.Source(Topics.RAW, raw.partition(), raw.offset(), Sha256.of(png)), Instant.now());
        shadow(r);
        return r;
    }

    /** Writes a shadow result as it is (a second time, for a duplicate). */
    static void shadow(ShadowResult r) throws Exception {
        try (KafkaProducer<String, byte[]> p = KafkaBrokerResource.kafka()
                .reliableProducer("test-inference", KafkaClients.Payload.JSON)) {
            p.send(new ProducerRecord<>(Topics.SHADOW, r.imageId(), Json.write(r))).get(30, TimeUnit.SECONDS);
        }
    }
}
