package io.argus.learning.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The paired interval keeps its promise and sees what the unpaired one cannot. */
class IntervalsTest {

    @Test
    void thePairedIntervalCoversTheTrueDifferenceAboutAsOftenAsItSays() {
        // Two models right 85% and 80% of the time on the same images, agreeing on most: 2,000 samples of 200 images.
        SplittableRandom random = new SplittableRandom(11);
        int covered = 0;
        int draws = 2000;
        for (int i = 0; i < draws; i++) {
            long[] t = new long[4];
            for (int k = 0; k < 200; k++) {
                double u = random.nextDouble();
                // both right 0.78, only the first 0.07, only the second 0.02, neither 0.13
                t[u < 0.78 ? 0 : u < 0.85 ? 1 : u < 0.87 ? 2 : 3]++;
            }
            double[] ci = Intervals.pairedDifference(t[0], t[1], t[2], t[3], Intervals.Z95);
            if (ci[0] <= 0.05 && 0.05 <= ci[1]) {
                covered++;
            }
        }
        assertThat(covered / (double) draws).isBetween(0.93, 0.99);
    }

    @Test
    void pairsThatMostlyAgreeGiveANarrowerIntervalThanIndependentSamplesOfTheSameSize() {
        // 100 images, both right on 80, only the champion on 8, only the candidate on 1.
        double[] paired = Intervals.pairedDifference(80, 1, 8, 11, Intervals.Z95);
        double[] independent = Intervals.difference(81, 100, 88, 100, Intervals.Z95);

        assertThat(paired[1] - paired[0]).isLessThan(independent[1] - independent[0]);
        assertThat(paired[1]).as("eight of the nine images they differ on go the champion's way: worse with confidence")
                .isLessThan(0);
        assertThat(independent[1]).as("the unpaired interval cannot see it").isGreaterThan(0);
    }
}
