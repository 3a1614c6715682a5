package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static io.argus.trainer.ModelDecisions.decide;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.json.Json;
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
 * A rollback by hand is one transaction on argus.models, also when the broker fails in the middle
 * of it: the broker is stopped once the rollback's first record (the champion's WITHDRAWN) is on
 * the log (the fault {@code argus.trainer.fault.model-decision-pause-after-first} holds the rest
 * back meanwhile). The answer is 503 KAFKA_UNAVAILABLE, nothing of that rollback is ever read by a
 * read_committed reader, and the champion stays; sent again, the rollback is stored whole.
 */
@QuarkusTest
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "argus.trainer.fault.model-decision-pause-after-first", value = "3s"))
@QuarkusTestResource(value = TrainerTestResource.class, restrictToAnnotatedClass = true)
class ModelDecisionAtomicityTest {

    private static final String CUT = "rolled back while the broker failed";

    @Test
    void aRollbackCutByABrokerFailureIsAnswered503AndNoneOfItIsEverStored() throws Exception {
        ModelDecisions.firstChampionAndASecondVersion();
        decide("promote", 2, "the newer one").then().statusCode(200);

        BrokerOutage.assertKafkaUnavailable(cutOnceItsFirstRecordIsOnTheLog(() -> decide("rollback", 1, CUT)));

        BrokerOutage.awaitTakenAgain(() -> decide("rollback", 1, "sent again").statusCode(), 200);
        try (TopicReader models = TopicReader.fromStart(KafkaBrokerResource.broker().bootstrapServers(),
                Topics.MODELS)) {
            List<ModelEvent> events = models.readUntilQuiet(Duration.ofSeconds(3)).stream()
                    .map(r -> Json.read(r.value(), ModelEvent.class)).toList();
            assertThat(events).as("decisions on argus.models").extracting(ModelEvent::reason).doesNotContain(CUT);
            assertThat(events).filteredOn(e -> e.status() == ModelStatus.WITHDRAWN).as("withdrawals")
                    .extracting(ModelEvent::reason).containsExactly("sent again");
        }
        given().get("/api/models/1").then().body("champion", equalTo(true)).body("reason", equalTo("sent again"));
    }

    /**
     * Sends {@code request} in the background, stops the broker as soon as a record newer than
     * those on argus.models now is on its log (uncommitted), and starts it again once the request
     * is answered. (BrokerOutage waits for a key, and every key of a rollback is on the log already.)
     */
    private static Response cutOnceItsFirstRecordIsOnTheLog(Supplier<Response> request)
            throws Exception {
        ArgusBroker broker = KafkaBrokerResource.broker();
        try (KafkaConsumer<String, byte[]> log = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = log.partitionsFor(Topics.MODELS).stream()
                    .map(p -> new TopicPartition(Topics.MODELS, p.partition())).toList();
            log.assign(partitions);
            log.seekToEnd(partitions);
            partitions.forEach(log::position);
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(request);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean onTheLog = false;
            while (!onTheLog && System.nanoTime() < deadline) {
                onTheLog = !log.poll(Duration.ofMillis(100)).isEmpty();
            }
            assertThat(onTheLog).as("the rollback's first record on the log within 30 s").isTrue();
            broker.stop();
            try {
                return answer.get();
            } finally {
                broker.start();
            }
        }
    }
}
