package io.argus.inference.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final TopicPartition P0 = new TopicPartition("raw", 0);
    private static final TopicPartition P1 = new TopicPartition("raw", 1);
    private static final long S = 1_000_000_000L;

    private final PartitionProgress progress = new PartitionProgress();

    @Test
    void theLagIsWhatTheGroupHasNotCommitted() {
        progress.observe(0, Map.of(P0, 10L, P1, 7L), Map.of(P0, 12L, P1, 7L));

        assertThat(progress.lag()).isEqualTo(Map.of(P0, 2L, P1, 0L));
    }

    @Test
    void aPartitionWithImagesWaitingAndNoCommitGoesWithoutProgressFromWhenTheyWereFirstSeen() {
        Map<TopicPartition, Long> owned = Map.of(P0, 0L);
        progress.observe(0, Map.of(P0, 10L), Map.of(P0, 10L));
        progress.observe(100 * S, Map.of(P0, 10L), Map.of(P0, 11L));
        progress.observe(130 * S, Map.of(P0, 10L), Map.of(P0, 12L));

        PartitionProgress.Stall stall = progress.longestWithoutProgress(160 * S, owned).orElseThrow();

        assertThat(stall.partition()).isEqualTo(P0);
        assertThat(stall.waiting()).isEqualTo(2);
        assertThat(stall.without()).as("not since the last commit, an hour ago when nothing waited")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aCommitThatMovesForwardIsProgressThoughImagesStillWait() {
        Map<TopicPartition, Long> owned = Map.of(P0, 0L);
        progress.observe(0, Map.of(P0, 0L), Map.of(P0, 1000L));
        progress.observe(50 * S, Map.of(P0, 400L), Map.of(P0, 1500L));

        assertThat(progress.longestWithoutProgress(55 * S, owned).orElseThrow().without())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nothingWaitingIsNoStall() {
        progress.observe(0, Map.of(P0, 5L), Map.of(P0, 5L));

        assertThat(progress.longestWithoutProgress(600 * S, Map.of(P0, 0L))).isEmpty();
    }

    @Test
    void aReplicaAnswersOnlyForThePartitionsItOwnsAndOnlySinceItGotThem() {
        progress.observe(0, Map.of(P0, 0L, P1, 0L), Map.of(P0, 5L, P1, 5L));

        assertThat(progress.longestWithoutProgress(100 * S, Map.of(P1, 90 * S)).orElseThrow())
                .isEqualTo(new PartitionProgress.Stall(P1, 5, Duration.ofSeconds(10)));
        assertThat(progress.longestWithoutProgress(100 * S, Map.of())).isEmpty();
    }
}
