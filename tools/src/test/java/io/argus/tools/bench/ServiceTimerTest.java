package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServiceTimerTest {

    private static String scrape(int fast, int slow, double sum) {
        // As Micrometer's Prometheus registry writes a timer with a percentile histogram (buckets cut short).
        return """
                # HELP argus_inference_commit_seconds One commit of a group of batches: their outputs and offsets
                # TYPE argus_inference_commit_seconds histogram
                argus_inference_commit_seconds_bucket{le="0.01"} %d
                argus_inference_commit_seconds_bucket{le="0.05"} %d
                argus_inference_commit_seconds_bucket{le="+Inf"} %d
                argus_inference_commit_seconds_count %d
                argus_inference_commit_seconds_sum %s
                argus_inference_commit_seconds_max 0.04
                argus_inference_model_seconds_count 7
                """.formatted(fast, fast + slow, fast + slow, fast + slow, sum);
    }

    @Test
    void theCommitsBetweenTwoScrapesAreCountedTimedAndPlacedInTheirBuckets() {
        ServiceTimer before = ServiceTimer.of(scrape(10, 0, 0.05), ServiceTimer.COMMITS);
        ServiceTimer after = ServiceTimer.of(scrape(108, 2, 0.05 + 98 * 0.005 + 2 * 0.04), ServiceTimer.COMMITS);

        ServiceTimer run = after.since(before);

        assertThat(run.count()).isEqualTo(100);
        assertThat(run.meanMs()).isCloseTo((98 * 5 + 2 * 40) / 100.0, within(1e-6));
        assertThat(run.quantileAtMostMs(0.5)).as("98 of 100 took at most 10 ms").isEqualTo(10);
        assertThat(run.quantileAtMostMs(0.98)).isEqualTo(10);
        assertThat(run.quantileAtMostMs(0.99)).as("the 99th is one of the two slow ones").isEqualTo(50);
    }

    @Test
    void aTimerWithLabelsIsReadForTheSeriesNamedOnly() {
        String scrape = """
                argus_inference_latency_seconds_bucket{from="capture",le="0.05"} 500.0
                argus_inference_latency_seconds_bucket{from="capture",le="+Inf"} 900.0
                argus_inference_latency_seconds_count{from="capture"} 900.0
                argus_inference_latency_seconds_sum{from="capture"} 99.0
                argus_inference_latency_seconds_bucket{from="ingest",le="0.02"} 60.0
                argus_inference_latency_seconds_bucket{from="ingest",le="0.05"} 99.0
                argus_inference_latency_seconds_bucket{from="ingest",le="+Inf"} 100.0
                argus_inference_latency_seconds_count{from="ingest"} 100.0
                argus_inference_latency_seconds_sum{from="ingest"} 2.0
                """;

        ServiceTimer ingest = ServiceTimer.of(scrape, ServiceTimer.UNTIL_CLASSIFIED);

        assertThat(ingest.count()).isEqualTo(100);
        assertThat(ingest.meanMs()).isCloseTo(20, within(1e-9));
        assertThat(ingest.quantileAtMostMs(0.5)).isEqualTo(20);
        assertThat(ingest.quantileAtMostMs(0.99)).isEqualTo(50);
        assertThat(ingest.quantileAtMostMs(1.0)).isInfinite();
    }

    @Test
    void withoutCommitsThereIsNoTime() {
        ServiceTimer none = ServiceTimer.of(scrape(3, 0, 0.01), ServiceTimer.COMMITS)
                .since(ServiceTimer.of(scrape(3, 0, 0.01), ServiceTimer.COMMITS));

        assertThat(none.count()).isZero();
        assertThat(none.meanMs()).isNaN();
        assertThat(none.quantileAtMostMs(0.99)).isNaN();
    }
}
