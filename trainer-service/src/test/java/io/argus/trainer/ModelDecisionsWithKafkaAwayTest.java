package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static io.argus.trainer.ModelDecisions.decide;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.ModelEvent;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;
import io.argus.local.testing.BrokerOutage;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Promoting or rolling back by hand while Kafka is away is answered as a label is: 503
 * KAFKA_UNAVAILABLE with Retry-After, within seconds, and nothing of the decision is ever on
 * argus.models; once Kafka is back the same request goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = TrainerTestResource.class, restrictToAnnotatedClass = true)
class ModelDecisionsWithKafkaAwayTest {

    /** The publisher waits 10 s for Kafka; a few more for the request around it. */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(15);
    private static final String AWAY = "decided while Kafka was away";

    @Test
    void withKafkaAwayPromoteAndRollbackAre503WithinSecondsAndNothingOfThemIsEverStored() throws Exception {
        ModelDecisions.firstChampionAndASecondVersion();
        ArgusBroker broker = KafkaBrokerResource.broker();

        broker.stop();
        try {
            unavailableAtOnce(() -> decide("promote", 2, AWAY));
            unavailableAtOnce(() -> decide("rollback", 2, AWAY));
        } finally {
            broker.start();
        }

        BrokerOutage.awaitTakenAgain(() -> decide("promote", 2, "once Kafka was back").statusCode(), 200);
        given().get("/api/models/2").then().body("champion", equalTo(true))
                .body("reason", equalTo("once Kafka was back"));
        try (TopicReader models = TopicReader.fromStart(broker.bootstrapServers(), Topics.MODELS)) {
            List<String> reasons = models.readUntilQuiet(Duration.ofSeconds(3)).stream().map(ConsumerRecord::value)
                    .map(v -> Json.read(v, ModelEvent.class).reason()).toList();
            assertThat(reasons).as("reasons of the decisions on argus.models").contains("once Kafka was back")
                    .doesNotContain(AWAY);
        }
    }

    /** The one error body: 503 KAFKA_UNAVAILABLE with when to retry, answered within seconds. */
    private static void unavailableAtOnce(Supplier<Response> request) {
        long start = System.nanoTime();
        Response answer = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        BrokerOutage.assertKafkaUnavailable(answer);
        assertThat(took).as("time to the answer").isLessThan(ANSWERED_WITHIN);
    }
}
