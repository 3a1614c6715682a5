package io.argus.trainer.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.argus.trainer.registry.LiveAccuracy;

class LiveJoinTest {

    private static LiveJoin.RawKey raw(long offset) {
        return new LiveJoin.RawKey("argus.images.raw", 0, offset);
    }

    private static LiveJoin.Served served(int version, String sensor, String label) {
        return new LiveJoin.Served(version, sensor, label, 0.9);
    }

    @Test
    void aLabelCountsForTheVersionThatServedItsImageOnThatImagesSensor() {
        LiveJoin join = new LiveJoin(100, 100, 10, 5);
        join.served(raw(1), served(1, "cam-a", "Bag"));
        join.served(raw(2), served(2, "cam-a", "Bag"));
        join.served(raw(3), served(2, "cam-b", "Coat"));

        join.labeled("img-1", raw(1), "Bag");
        join.labeled("img-2", raw(2), "Sandal");
        join.labeled("img-3", raw(3), "Coat");

        LiveAccuracy v1 = join.accuracy(1).orElseThrow();
        assertThat(v1.n()).isEqualTo(1);
        assertThat(v1.accuracy()).isEqualTo(1.0);
        LiveAccuracy v2 = join.accuracy(2).orElseThrow();
        assertThat(v2.n()).isEqualTo(2);
        assertThat(v2.correct()).isEqualTo(1);
        assertThat(v2.sensors()).extracting(LiveAccuracy.Sensor::sensorId, LiveAccuracy.Sensor::n,
                LiveAccuracy.Sensor::correct).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cam-a", 1, 0),
                        org.assertj.core.groups.Tuple.tuple("cam-b", 1, 1));
        assertThat(join.accuracy(3)).isEmpty();
    }

    @Test
    void aLabelReadBeforeItsResultWaitsForIt() {
        LiveJoin join = new LiveJoin(100, 100, 10, 5);
        join.labeled("img-1", raw(1), "Bag");
        assertThat(join.accuracy(4)).isEmpty();
        assertThat(join.pending()).isEqualTo(1);

        join.served(raw(1), served(4, "cam-a", "Bag"));

        assertThat(join.accuracy(4).orElseThrow().n()).isEqualTo(1);
        assertThat(join.pending()).isZero();
    }

    @Test
    void aCorrectedLabelReplacesTheFirstAndARemovedOneLeaves() {
        LiveJoin join = new LiveJoin(100, 100, 10, 5);
        join.served(raw(1), served(1, "cam-a", "Bag"));
        join.labeled("img-1", raw(1), "Coat");
        join.labeled("img-1", raw(1), "Bag");

        assertThat(join.accuracy(1).orElseThrow().n()).isEqualTo(1);
        assertThat(join.accuracy(1).orElseThrow().correct()).isEqualTo(1);

        join.removed("img-1");
        assertThat(join.accuracy(1)).isEmpty();
    }

    @Test
    void theFiguresCoverTheMostRecentWindowOfLabelsWithAWilsonInterval() {
        LiveJoin join = new LiveJoin(50, 1000, 10, 5);
        for (int i = 0; i < 100; i++) {
            join.served(raw(i), served(1, "cam-a", "Bag"));
            // The first 50 wrong, the last 50 right: only the last 50 are in the window.
            join.labeled("img-" + i, raw(i), i < 50 ? "Coat" : "Bag");
        }
        LiveAccuracy a = join.accuracy(1).orElseThrow();
        assertThat(a.n()).isEqualTo(50);
        assertThat(a.accuracy()).isEqualTo(1.0);
        // Wilson, 50 of 50: [0.9287, 1].
        assertThat(a.lower()).isCloseTo(0.9287, within(0.0005));
        assertThat(a.upper()).isEqualTo(1.0);
    }

    @Test
    void pastItsCapsTheJoinForgetsTheOldestResultsAndCountsTheLabelsItCannotJoin() {
        LiveJoin join = new LiveJoin(100, 3, 2, 5);
        for (int i = 0; i < 5; i++) {
            join.served(raw(i), served(1, "cam-a", "Bag"));
        }
        // Results 0 and 1 are forgotten: their labels wait, then give up when the pending cap is passed.
        join.labeled("img-0", raw(0), "Bag");
        join.labeled("img-1", raw(1), "Bag");
        join.labeled("img-4", raw(4), "Bag");
        assertThat(join.accuracy(1).orElseThrow().n()).isEqualTo(1);
        join.labeled("img-x", raw(99), "Bag");
        assertThat(join.unjoined()).isEqualTo(1);
        assertThat(join.pending()).isEqualTo(2);
    }

    @Test
    void onlyTheNewestVersionsAreKept() {
        LiveJoin join = new LiveJoin(100, 100, 10, 2);
        for (int v = 1; v <= 3; v++) {
            join.served(raw(v), served(v, "cam-a", "Bag"));
            join.labeled("img-" + v, raw(v), "Bag");
        }
        assertThat(join.versions()).containsExactly(2, 3);
    }
}
