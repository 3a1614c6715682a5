package io.argus.trainer.labels;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.argus.common.error.ArgusException;

class LabelRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final LabelRateLimiter limiter = new LabelRateLimiter(60, now::get);

    @Test
    void aLabelerMayBurstAMinutesWorthThenWaitsForTheBucketToRefill() {
        limiter.take("ana", 50);
        limiter.take("ana", 10);
        assertThatThrownBy(() -> limiter.take("ana", 1)).isInstanceOfSatisfying(ArgusException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("retry in 1 s"));

        now.addAndGet(5_000_000_000L); // 5 s: 5 more labels
        limiter.take("ana", 5);
        assertThatThrownBy(() -> limiter.take("ana", 1)).isInstanceOf(ArgusException.class);
    }

    @Test
    void labelersHaveTheirOwnAllowanceAndOversizedBatchesAreRefusedWhole() {
        limiter.take("ana", 60);
        assertThatCode(() -> limiter.take("ben", 60)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limiter.take("carl", 61)).hasMessageContaining("send at most 60 at once");
        assertThatCode(() -> limiter.take("carl", 60)).as("the refused batch took nothing").doesNotThrowAnyException();
    }

    @Test
    void zeroMeansNoLimit() {
        LabelRateLimiter off = new LabelRateLimiter(0, now::get);
        assertThatCode(() -> off.take("ana", 1_000_000)).doesNotThrowAnyException();
    }
}
