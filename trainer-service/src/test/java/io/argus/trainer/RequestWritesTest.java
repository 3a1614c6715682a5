package io.argus.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.argus.common.error.ArgusException;
import io.argus.common.error.Problem;

/** The answer a request gets when Kafka stored none of its records (labels, a model decision). */
class RequestWritesTest {

    @Test
    void nothingStoredIsA503KafkaUnavailableThatSaysWhenToRetryAndKeepsItsCause() {
        Exception cause = new org.apache.kafka.common.errors.TimeoutException("no broker");

        ArgusException answer = RequestWrites.unavailable("Kafka did not store it; retry later", cause);

        assertThat(answer.problem()).isEqualTo(Problem.UNAVAILABLE);
        assertThat(answer.code()).isEqualTo("KAFKA_UNAVAILABLE");
        assertThat(answer.getMessage()).isEqualTo("Kafka did not store it; retry later");
        assertThat(answer.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(answer.getCause()).isSameAs(cause);
    }
}
