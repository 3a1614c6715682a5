package io.argus.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DeadLetter;
import io.argus.common.contract.RawImage;
import io.argus.common.topics.Topics;
import io.argus.inference.batching.CommitFault;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Commits that Kafka will not take, for a reason that is not the size of a record: the injected
 * fault {@code argus.inference.fault-fail-commit-with-key} against a real broker.
 */
@QuarkusTest
@TestProfile(CommitFailureTest.Faulty.class)
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
class CommitFailureTest {

    private static final String POISONED = "poisoned-commit";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Results of {@link #POISONED} make commits fail; a stall is declared after 3 s; a batch waits
     * up to 1 s for company, so that a burst is surely one batch.
     */
    public static class Faulty implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("argus.inference.fault-fail-commit-with-key", POISONED,
                    "argus.inference.stall-timeout", "3s", "argus.inference.batch.max-wait", "1s");
        }
    }

    @Inject
    CommitFault fault;

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void producer() {
        // Not the services' producer (KafkaClients lingers 2 ms): 20 ms lets a burst leave as one request, so
        // inference sees it whole and makes it one batch.
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", InferenceStreamTest.bootstrap(), "linger.ms", 20),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void restoreTheConfiguredFault() {
        fault.failCommitsWith(Optional.of(POISONED));
        producer.close();
    }

    @Test
    void aRecordWhoseCommitFailsIsDeadLetteredWithTheReasonAndTheOthersOfItsBatchAreClassifiedOnce() throws Exception {
        List<String> good = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        byte[] png = InferenceStreamTest.png(Color.WHITE);
        try (TopicReader classified = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.DLQ)) {
            // One burst over three partitions, the poisoned image among them: one batch.
            for (int i = 0; i < 8; i++) {
                String id = i == 3 ? POISONED : "beside-poison-" + i;
                if (i != 3) {
                    good.add(id);
                }
                sent.add(producer.send(new RawImage(id, "cam-c" + (i % 3), Instant.now(), null, null, png)
                        .toRecord(Topics.RAW)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }

            List<Classification> results = InferenceStreamTest.results(classified.read(good.size(), WAIT));
            assertThat(results).extracting(Classification::imageId).containsExactlyInAnyOrderElementsOf(good);
            assertThat(results).extracting(c -> c.timings().batchSize()).as("classified with the poisoned one")
                    .containsOnly(8);
            List<ConsumerRecord<String, byte[]>> dead = dlq.read(1, WAIT);
            assertThat(dead).extracting(ConsumerRecord::key).containsExactly(POISONED);
            assertThat(header(dead.get(0), DeadLetter.STAGE)).isEqualTo("inference-commit");
            assertThat(header(dead.get(0), DeadLetter.ERROR_CODE)).isEqualTo("COMMIT_FAILED");
            assertThat(header(dead.get(0), DeadLetter.MESSAGE)).contains("InjectedCommitFault");
            assertThat(dead.get(0).value()).as("the original bytes").isEqualTo(png);

            double failures = ServiceProbe.metric("argus_inference_commit_failures_total{cause=\"InjectedCommitFault\"");
            assertThat(failures).as("failed commits while isolating it").isPositive();
            assertThat(classified.readUntilQuiet(Duration.ofSeconds(3))).as("no result twice, none for it").isEmpty();
            assertThat(dlq.readUntilQuiet(Duration.ofSeconds(1))).as("one dead letter").isEmpty();
            assertThat(ServiceProbe.metric("argus_inference_commit_failures_total{cause=\"InjectedCommitFault\""))
                    .as("nothing retried since").isEqualTo(failures);
        }
    }

    @Test
    void whileEveryCommitFailsReadinessIsDownWithTheReasonAndUpAgainOnceCommitsGoThrough() throws Exception {
        try (TopicReader classified = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.DLQ)) {
            fault.failCommitsWith(Optional.of(CommitFault.EVERY_COMMIT));
            send("stalled-1");

            await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'stream' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'stream' }.data.reason", containsString(Topics.RAW))
                    .body("checks.find { it.name == 'stream' }.data.lastCommitFailure",
                            containsString("InjectedCommitFault")));
            assertThat(ServiceProbe.metric("argus_inference_stalled")).isEqualTo(1.0);
            assertThat(ServiceProbe.metric("argus_inference_without_progress_seconds")).isGreaterThanOrEqualTo(3.0);
            assertThat(classified.read(1, Duration.ofSeconds(1))).as("nothing committed meanwhile").isEmpty();

            fault.failCommitsWith(Optional.empty());

            // Classified, or dead-lettered if the fault went away in the middle of isolating it: once.
            List<ConsumerRecord<String, byte[]>> outputs = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                outputs.addAll(classified.read(1, Duration.ofMillis(200)));
                outputs.addAll(dlq.read(1, Duration.ofMillis(200)));
                return !outputs.isEmpty();
            });
            outputs.addAll(classified.readUntilQuiet(Duration.ofSeconds(1)));
            outputs.addAll(dlq.readUntilQuiet(Duration.ofSeconds(1)));
            assertThat(outputs).extracting(ConsumerRecord::key).containsExactly("stalled-1");
            await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'stream' }.status", equalTo("UP")));
            assertThat(ServiceProbe.metric("argus_inference_stalled")).isZero();
        }
    }

    @Test
    void imagesClassifiedWhileACommitFailsAreReadAgainWithItsImagesAndEachGetsOneResult() throws Exception {
        String failures = "argus_inference_commit_failures_total{cause=\"InjectedCommitFault\"";
        byte[] png = InferenceStreamTest.png(Color.WHITE);
        try (TopicReader classified = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromNow(InferenceStreamTest.bootstrap(), Topics.DLQ)) {
            double before = ServiceProbe.metric(failures);
            fault.failCommitsWith(Optional.of(CommitFault.EVERY_COMMIT));
            // Three batches at once: while one's commit runs (and fails) on the commit thread, the next is classified.
            List<String> ids = new ArrayList<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                ids.add("meanwhile-" + i);
                sent.add(producer.send(new RawImage(ids.get(i), "cam-m" + (i % 3), Instant.now(), null, null, png)
                        .toRecord(Topics.RAW)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
            await().atMost(WAIT).until(() -> ServiceProbe.metric(failures) >= before + 3);

            fault.failCommitsWith(Optional.empty());
            // Classified, or dead-lettered if the fault went away in the middle of isolating it: once.
            List<String> outputs = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                classified.read(1, Duration.ofMillis(200)).forEach(r -> outputs.add(r.key()));
                dlq.read(1, Duration.ofMillis(200)).forEach(r -> outputs.add(r.key()));
                return outputs.stream().filter(id -> id.startsWith("meanwhile-")).distinct().count() == ids.size();
            });
            classified.readUntilQuiet(Duration.ofSeconds(3)).forEach(r -> outputs.add(r.key()));
            dlq.readUntilQuiet(Duration.ofSeconds(1)).forEach(r -> outputs.add(r.key()));
            assertThat(outputs).filteredOn(id -> id.startsWith("meanwhile-"))
                    .as("each image once: none lost with the failed commit, none output twice")
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void theLagGaugeCountsImagesReadButNotCommitted() throws Exception {
        String failures = "argus_inference_commit_failures_total{cause=\"InjectedCommitFault\"";
        double before = ServiceProbe.metric(failures);
        fault.failCommitsWith(Optional.of(CommitFault.EVERY_COMMIT));
        RecordMetadata waiting = send("uncommitted-1");
        String gauge = "argus_inference_lag_records{partition=\"" + waiting.partition() + "\",topic=\"" + Topics.RAW
                + "\"";

        // The consumer has read and classified it (and does again after each failed commit); the group has not
        // committed it.
        await().atMost(WAIT).until(() -> ServiceProbe.metric(failures) > before);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ServiceProbe.metric(gauge)).isEqualTo(1.0));
        assertThat(ServiceProbe.metric(failures)).as("still failing while the gauge was read").isGreaterThan(before);

        fault.failCommitsWith(Optional.empty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(ServiceProbe.metric(gauge)).isZero());
    }

    private RecordMetadata send(String imageId) throws Exception {
        return producer.send(new RawImage(imageId, "cam-stall", Instant.now(), null, null,
                InferenceStreamTest.png(Color.WHITE)).toRecord(Topics.RAW)).get();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
