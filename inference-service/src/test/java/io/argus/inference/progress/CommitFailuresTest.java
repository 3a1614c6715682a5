package io.argus.inference.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CommitFailuresTest {

    private static final long S = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CommitFailures failures = new CommitFailures(meters, now::get);

    @Test
    void aCauseIsLoggedTheFirstTimeThenOnceAMinuteWhileItLastsAndEveryFailureIsCounted() {
        assertThat(failures.logLine("RecordTooLargeException", "too large", 16)).hasValueSatisfying(line ->
                assertThat(line).contains("RecordTooLargeException").contains("too large").contains("16 images"));
        for (int i = 0; i < 100; i++) {
            now.addAndGet(S / 2);
            assertThat(failures.logLine("RecordTooLargeException", "too large", 16)).isEmpty();
        }
        now.addAndGet(11 * S);
        assertThat(failures.logLine("RecordTooLargeException", "too large", 16)).hasValueSatisfying(line ->
                assertThat(line).contains("101 failed in the last 61 s"));
        assertThat(failures.logLine("TimeoutException", "broker away", 1)).as("another cause is news").isPresent();
    }

    @Test
    void onceEverythingIsCommittedACauseThatComesBackIsNewsAgain() {
        failures.logLine("RecordTooLargeException", "too large", 16);

        assertThat(failures.recovered()).as("isolated at once: nothing had to wait").isNull();
        assertThat(failures.logLine("RecordTooLargeException", "too large", 16)).isPresent();
        failures.retrying();
        assertThat(failures.recovered()).as("images waited: their recovery is news")
                .contains("RecordTooLargeException");
    }

    @Test
    void everyFailureCountsByCauseAndTheLastIsKeptUntilEverythingIsCommitted() {
        failures.failed("InjectedCommitFault", "injected", 3);
        failures.failed("InjectedCommitFault", "injected", 1);

        assertThat(meters.get("argus.inference.commit.failures").tag("cause", "InjectedCommitFault").counter().count())
                .isEqualTo(2);
        assertThat(failures.last()).hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo("InjectedCommitFault"));
        failures.committed();
        assertThat(failures.last()).isEmpty();
    }
}
