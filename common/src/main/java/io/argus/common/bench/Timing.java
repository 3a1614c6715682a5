package io.argus.common.bench;

import java.util.Arrays;

/**
 * Repeated timing: a warm-up, then rounds of back-to-back calls, and the median rate of the
 * rounds, so a garbage collection or a noisy neighbour in one round does not decide the figure.
 */
public final class Timing {

    public static final int ROUNDS = 5;

    /** Units (images, multiplications) per second, median over rounds, and the spread. */
    public record Result(double perSecond, double min, double max, int calls) {
    }

    private Timing() {
    }

    /**
     * @param unitsPerCall how many units one call processes (the batch size)
     * @param seconds      about how long to measure, warm-up excluded
     */
    public static Result run(Runnable call, int unitsPerCall, double seconds) {
        // Warm-up: native set-up, JIT, first-touch of buffers; a tenth of the time, at least two calls
        // unless one call alone takes that long.
        long warm = System.nanoTime();
        call.run();
        double firstCall = (System.nanoTime() - warm) / 1e9;
        if (firstCall <= seconds / 10) {
            do {
                call.run();
            } while ((System.nanoTime() - warm) / 1e9 < seconds / 10);
        }
        // Calls slower than a round (VGG-16 at batch 32 on two cores) get three rounds of one call.
        int rounds = firstCall > seconds / ROUNDS ? 3 : ROUNDS;
        double round = seconds / rounds;
        double[] rates = new double[rounds];
        int calls = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            int n = 0;
            double elapsed;
            do {
                call.run();
                n++;
                elapsed = (System.nanoTime() - start) / 1e9;
            } while (elapsed < round);
            rates[r] = n * unitsPerCall / elapsed;
            calls += n;
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new Result(sorted[rounds / 2], sorted[0], sorted[rounds - 1], calls);
    }
}
