package io.argus.trainer.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.argus.common.error.ArgusException;

class LabelRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final LabelRateLimiter limiter = new LabelRateLimiter(60, 100, now::get);

    private static Labelers.Labeler person(String key, String name) {
        return new Labelers.Labeler(key, key + "/" + name);
    }

    @Test
    void aLabelerMayBurstAMinutesWorthThenWaitsForTheBucketToRefill() {
        limiter.take(person("k1", "ana"), 50);
        limiter.take(person("k1", "ana"), 10);
        assertThatThrownBy(() -> limiter.take(person("k1", "ana"), 1)).isInstanceOfSatisfying(ArgusException.class,
                e -> assertThat(e.getMessage()).contains("retry in 1 s"));

        now.addAndGet(5_000_000_000L); // 5 s: 5 more labels
        limiter.take(person("k1", "ana"), 5);
        assertThatThrownBy(() -> limiter.take(person("k1", "ana"), 1)).isInstanceOf(ArgusException.class);
    }

    @Test
    void aKeyCannotExceedItsAllowanceByNamingAnotherPersonInEachRequest() {
        for (int i = 0; i < 100; i++) {
            limiter.take(person("k1", "name-" + i), 1);
        }

        assertThatThrownBy(() -> limiter.take(person("k1", "yet-another"), 1)).isInstanceOfSatisfying(
                ArgusException.class, e -> assertThat(e.getMessage()).contains("API key k1"));
        assertThatCode(() -> limiter.take(person("k2", "ana"), 1)).as("another key has its own allowance")
                .doesNotThrowAnyException();
    }

    @Test
    void labelersHaveTheirOwnAllowanceAndOversizedBatchesAreRefusedWhole() {
        limiter.take(person("k1", "ana"), 60);
        assertThatCode(() -> limiter.take(person("k1", "ben"), 30)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limiter.take(person("k3", "cem"), 61)).isInstanceOfSatisfying(ArgusException.class,
                e -> assertThat(e.getMessage()).contains("send at most 60 at once"));
        assertThatCode(() -> limiter.take(person("k3", "cem"), 60)).as("a refused batch takes nothing")
                .doesNotThrowAnyException();
    }

    @Test
    void zeroMeansNoLimit() {
        LabelRateLimiter none = new LabelRateLimiter(0, 0, now::get);
        assertThatCode(() -> none.take(person("k1", "ana"), 100_000)).doesNotThrowAnyException();
    }
}
