package io.argus.trainer;

import java.time.Duration;
import java.util.function.Function;

import io.argus.common.error.ArgusException;
import io.argus.common.kafka.AtomicWrites;
import io.argus.common.kafka.KafkaClients;

/**
 * How the trainer stores what a request decides (a batch of labels, a model decision): in one Kafka
 * transaction ({@link AtomicWrites}), and when Kafka cannot take it within {@link #FAIL_AFTER}, a
 * 503 {@code KAFKA_UNAVAILABLE} with a Retry-After. One policy for every such request: a person
 * labeling or promoting by hand gets the same clear answer in seconds, not a 500 after a long wait.
 */
public final class RequestWrites {

    /** A request's records are a few labels or events: stored in well under this when Kafka is there. */
    public static final Duration FAIL_AFTER = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private RequestWrites() {
    }

    /**
     * @param name      what is written, for logs ("labels")
     * @param clientId  the producer's client id; with the model name it is also the transactional id
     * @param notStored the 503 (see {@link #unavailable}) a request gets when none of its records was stored
     * @param faultPauseAfterFirst test-only, see {@link AtomicWrites}
     */
    public static AtomicWrites open(KafkaClients kafka, TrainerConfig config, String name, String clientId,
                                    KafkaClients.Payload payload, Function<Exception, RuntimeException> notStored,
                                    Duration faultPauseAfterFirst) {
        // One trainer per model: the transactional id fences a trainer that an operator forgot to stop.
        String transactionalId = clientId + "-" + config.modelName();
        return new AtomicWrites(name, () -> kafka.transactionalRequestProducer(clientId, payload, transactionalId,
                FAIL_AFTER), FAIL_AFTER, notStored, faultPauseAfterFirst);
    }

    /** The answer to a request none of whose records Kafka stored: 503 KAFKA_UNAVAILABLE, retry later. */
    public static ArgusException unavailable(String message, Exception cause) {
        return ArgusException.unavailable("KAFKA_UNAVAILABLE", message, RETRY_AFTER, cause);
    }
}
