package io.argus.local.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.argus.local.broker.ArgusBroker;
import io.restassured.response.Response;

/**
 * The test broker ({@link KafkaBrokerResource#broker()}) failing in the middle of a request, and the
 * service taking requests again once it is back: how the all-or-nothing tests of a batch (images,
 * labels) cut one.
 */
public final class BrokerOutage {

    private BrokerOutage() {
    }

    /**
     * Sends {@code request} in the background, stops the broker as soon as the record keyed
     * {@code key} is on {@code topic}'s log (uncommitted, if in a transaction), and starts it again
     * once the request is answered.
     *
     * @return the answer to the request cut that way
     */
    public static <T> T cutOnceOnTheLog(String topic, String key, Supplier<T> request) throws Exception {
        ArgusBroker broker = KafkaBrokerResource.broker();
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(request);
        TopicReader.awaitOnTheLog(broker.bootstrapServers(), topic, key, Duration.ofSeconds(30));
        broker.stop();
        try {
            return answer.get();
        } finally {
            broker.start();
        }
    }

    /**
     * The answer of a service that could not store a request because Kafka is away: 503 with the
     * one error body, code {@code KAFKA_UNAVAILABLE}, and a Retry-After telling the client when to
     * send it again.
     */
    public static void assertKafkaUnavailable(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.jsonPath().getString("code")).isEqualTo("KAFKA_UNAVAILABLE");
        assertThat(answer.header("Retry-After")).as("Retry-After").isNotBlank();
    }

    /**
     * Sends {@code request} every half second until it is answered {@code taken}: each answer before
     * must be 503 (Kafka unavailable), and the service must recover by itself within 90 s.
     */
    public static void awaitTakenAgain(IntSupplier request, int taken) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status;
        while ((status = request.getAsInt()) != taken) {
            assertThat(status).isEqualTo(503);
            assertThat(System.nanoTime()).as("requests are taken again within 90 s").isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
