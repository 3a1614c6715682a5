package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Each image of a phase in the order sent: when it was sent and when its result was read (the
 * bench's {@link System#nanoTime()}), and the latency's two parts in wall-clock milliseconds (until
 * the service sent the result, and from then until the reader had it). A quantile says how slow the
 * tail is; this says when it happened: a stall shows as neighbours in time, a slow path as images
 * scattered over the phase.
 */
record LatencySeries(long[] sentNanos, long[] arrivedNanos, long[] sentEpochMs, long[] untilSentMs,
                     long[] afterSentMs) {

    LatencySeries {
        int n = sentNanos.length;
        if (arrivedNanos.length != n || sentEpochMs.length != n || untilSentMs.length != n || afterSentMs.length != n) {
            throw new IllegalArgumentException("one entry per image in every column");
        }
    }

    int size() {
        return sentNanos.length;
    }

    double latencyMs(int i) {
        return (arrivedNanos[i] - sentNanos[i]) / 1e6;
    }

    /** One CSV line per image: sent (ms after the first send, and epoch ms), latency, its two parts. */
    void writeCsv(Path file) throws IOException {
        long first = firstSent();
        StringBuilder csv = new StringBuilder("image,sent_ms,sent_epoch_ms,latency_ms,until_sent_ms,after_sent_ms\n");
        for (int i = 0; i < size(); i++) {
            csv.append(String.format(Locale.ROOT, "%d,%.3f,%d,%.3f,%d,%d%n", i, (sentNanos[i] - first) / 1e6,
                    sentEpochMs[i], latencyMs(i), untilSentMs[i], afterSentMs[i]));
        }
        Files.writeString(file, csv);
    }

    /**
     * The slowest {@code share} of the images (at least one), by the {@code windowMs} window of the
     * phase in which each was sent.
     */
    TailSpread tailSpread(double share, long windowMs) {
        if (size() == 0) {
            throw new IllegalStateException("no images in the series");
        }
        long first = firstSent();
        int tail = Math.max(1, (int) Math.ceil(size() * share));
        Map<Long, Integer> perWindow = new TreeMap<>();
        IntStream.range(0, size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> latencyMs(i)).reversed())
                .limit(tail)
                .forEach(i -> perWindow.merge(window(sentNanos[i] - first, windowMs), 1, Integer::sum));
        long windows = window(Arrays.stream(sentNanos).max().orElseThrow() - first, windowMs) + 1;
        Map.Entry<Long, Integer> fullest = perWindow.entrySet().stream()
                .max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow();
        return new TailSpread(tail, perWindow.size(), windows, windowMs, fullest.getKey() * windowMs,
                fullest.getValue());
    }

    private long firstSent() {
        return Arrays.stream(sentNanos).min().orElse(0);
    }

    private static long window(long nanosAfterFirst, long windowMs) {
        return nanosAfterFirst / 1_000_000 / windowMs;
    }

    /**
     * The slowest {@code images} were sent in {@code windows} of the phase's {@code of} windows of
     * {@code windowMs}; the fullest, starting {@code fullestAtMs} after the first send, held
     * {@code fullestHolds} of them (the earliest such window on a tie).
     */
    record TailSpread(int images, int windows, long of, long windowMs, long fullestAtMs, int fullestHolds) {

        String describe() {
            return String.format(Locale.ROOT, "the slowest %d images were sent in %d of the phase's %d windows of "
                    + "%d ms, %d of them in the window at %.1f s", images, windows, of, windowMs, fullestHolds,
                    fullestAtMs / 1000.0);
        }
    }
}
