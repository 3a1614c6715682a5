package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencySeriesTest {

    /** 1,000 images, one a millisecond, each with the latency given in ms. */
    private static LatencySeries oneAMillisecond(IntToLongFunction latencyMs) {
        int n = 1000;
        long[] sent = new long[n];
        long[] arrived = new long[n];
        long[] epoch = new long[n];
        long[] until = new long[n];
        long[] after = new long[n];
        for (int i = 0; i < n; i++) {
            sent[i] = 5_000_000_000L + i * 1_000_000L;
            arrived[i] = sent[i] + latencyMs.applyAsLong(i) * 1_000_000L;
            epoch[i] = 1_700_000_000_000L + i;
            until[i] = latencyMs.applyAsLong(i) - 2;
            after[i] = 2;
        }
        return new LatencySeries(sent, arrived, epoch, until, after);
    }

    @Test
    void aStallPutsTheWholeTailIntoOneWindow() {
        // Images sent from 420 to 429 ms waited for a stall; everything else took 10 ms.
        LatencySeries s = oneAMillisecond(i -> i >= 420 && i < 430 ? 90 - (i - 420) : 10);

        LatencySeries.TailSpread tail = s.tailSpread(0.01, 100);

        assertThat(tail.images()).isEqualTo(10);
        assertThat(tail.of()).isEqualTo(10);
        assertThat(tail.windows()).isEqualTo(1);
        assertThat(tail.fullestAtMs()).isEqualTo(400);
        assertThat(tail.fullestHolds()).isEqualTo(10);
        assertThat(tail.describe()).isEqualTo(
                "the slowest 10 images were sent in 1 of the phase's 10 windows of 100 ms, 10 of them in the window at 0.4 s");
    }

    @Test
    void aSlowPathSpreadsTheTailOverThePhase() {
        // Every 100th image is slow, wherever it was sent.
        LatencySeries s = oneAMillisecond(i -> i % 100 == 50 ? 80 : 10);

        LatencySeries.TailSpread tail = s.tailSpread(0.01, 100);

        assertThat(tail.windows()).isEqualTo(10);
        assertThat(tail.fullestHolds()).isEqualTo(1);
        assertThat(tail.fullestAtMs()).isEqualTo(0);
    }

    @Test
    void theTailIsTheSlowestImagesNotTheFirstOnes() {
        // The slowest ten are the last ten sent; the first ones are the next slowest.
        LatencySeries s = oneAMillisecond(i -> i >= 990 ? 200 : i < 20 ? 100 : 10);

        assertThat(s.tailSpread(0.01, 100).fullestAtMs()).isEqualTo(900);
    }

    @Test
    void eachImageIsOneCsvLineInTheOrderSent(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("series.csv");

        oneAMillisecond(i -> 10 + i).writeCsv(csv);

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1001);
        assertThat(lines.get(0)).isEqualTo("image,sent_ms,sent_epoch_ms,latency_ms,until_sent_ms,after_sent_ms");
        assertThat(lines.get(1)).isEqualTo("0,0.000,1700000000000,10.000,8,2");
        assertThat(lines.get(1000)).isEqualTo("999,999.000,1700000000999,1009.000,1007,2");
    }
}
