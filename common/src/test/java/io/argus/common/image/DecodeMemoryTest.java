package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.argus.common.error.Problem;

class DecodeMemoryTest {

    private static final long KIB = 1024;

    private final DecodeMemory memory = new DecodeMemory(100 * KIB, Duration.ofMillis(50), Duration.ofSeconds(3));

    @Test
    void aClaimThatFindsNoRoomWithinTheWaitIsBusyWithARetryAfter() {
        try (DecodeMemory.Claim held = memory.claim(80 * KIB)) {
            assertThatThrownBy(() -> memory.claim(30 * KIB)).isInstanceOfSatisfying(DecoderBusy.class, e -> {
                assertThat(e.problem()).isEqualTo(Problem.UNAVAILABLE);
                assertThat(e.code()).isEqualTo("DECODER_BUSY");
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
            });
            memory.claim(20 * KIB).close();
        }
        assertThat(memory.availableBytes()).isEqualTo(100 * KIB);
    }

    @Test
    void aWaitingClaimGetsTheRoomAsSoonAsItIsGivenBack() throws Exception {
        DecodeMemory patient = new DecodeMemory(100 * KIB, Duration.ofSeconds(10), Duration.ofSeconds(3));
        DecodeMemory.Claim held = patient.claim(100 * KIB);
        CompletableFuture<DecodeMemory.Claim> waiting = CompletableFuture.supplyAsync(() -> patient.claim(50 * KIB));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        held.close();

        waiting.get(5, TimeUnit.SECONDS).close();
        assertThat(patient.availableBytes()).isEqualTo(100 * KIB);
    }

    @Test
    void aClaimIsGivenBackOnceHoweverOftenItIsClosed() {
        DecodeMemory.Claim claim = memory.claim(40 * KIB);
        claim.close();
        claim.close();

        assertThat(memory.availableBytes()).isEqualTo(100 * KIB);
    }

    @Test
    void aClaimOfMoreThanTheWholeBudgetTakesAllOfItAndSoRunsAlone() {
        try (DecodeMemory.Claim all = memory.claim(500 * KIB)) {
            assertThat(memory.availableBytes()).isZero();
        }
        assertThat(memory.availableBytes()).isEqualTo(100 * KIB);
    }

    @Test
    void claimsAreCountedInWholeKibibytes() {
        try (DecodeMemory.Claim small = memory.claim(1)) {
            assertThat(memory.availableBytes()).isEqualTo(99 * KIB);
        }
    }

    @Test
    void withoutABudgetNothingIsEverWaitedFor() {
        DecodeMemory unbounded = DecodeMemory.unbounded();

        assertThat(unbounded.bounded()).isFalse();
        unbounded.claim(Long.MAX_VALUE).close();
        assertThat(unbounded.retryAfter()).isEqualTo(DecodeMemory.DEFAULT_RETRY_AFTER);
    }

    @Test
    void aBudgetUnderAKibibyteOrANegativeWaitIsAMistake() {
        assertThatThrownBy(() -> new DecodeMemory(1000, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodeMemory(100 * KIB, Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
