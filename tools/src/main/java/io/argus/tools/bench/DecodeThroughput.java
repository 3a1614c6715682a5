package io.argus.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.argus.common.bench.Timing;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.InputSpec;

/**
 * Decode + preprocess throughput of the one preprocessing path ({@link ImagePreprocessor}) on
 * the images Argus sees: small PNGs and camera JPEGs, at one thread and at one per core (how
 * inference-service decodes a batch).
 */
final class DecodeThroughput {

    /** A kind of image prepared for a model input. */
    record Case(String name, List<byte[]> images, InputSpec spec, boolean fullResolution) {

        double averageBytes() {
            return images.stream().mapToInt(b -> b.length).average().orElse(0);
        }
    }

    record Run(String image, String target, double bytes, int threads, double imagesPerSecond, double msPerImage) {
    }

    private DecodeThroughput() {
    }

    static List<Run> measure(List<Case> cases, int cores, double seconds, Consumer<String> progress)
            throws Exception {
        List<Run> runs = new ArrayList<>();
        for (Case c : cases) {
            ImagePreprocessor prep = new ImagePreprocessor(c.spec(), ImageLimits.DEFAULT);
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                double rate = rate(c, prep, threads, seconds);
                String target = c.spec().width() + "x" + c.spec().height() + "x" + c.spec().channels()
                        + (c.fullResolution() ? " (full-res decode)" : "");
                runs.add(new Run(c.name(), target, c.averageBytes(), threads, rate, 1000.0 * threads / rate));
                progress.accept(String.format(Locale.ROOT, "%-22s -> %-28s %d thread(s): %8.1f images/s",
                        c.name(), target, threads, rate));
            }
        }
        return runs;
    }

    private static double rate(Case c, ImagePreprocessor prep, int threads, double seconds) throws Exception {
        if (threads == 1) {
            return Timing.run(one(c, prep), 1, seconds).perSecond();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // Warm-up on every thread, then all threads for the same wall time.
            List<Future<?>> warm = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                warm.add(pool.submit(() -> Timing.run(one(c, prep), 1, Math.min(1, seconds / 4))));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<Integer>> counts = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    Runnable r = one(c, prep);
                    int n = 0;
                    while (!stop.get()) {
                        r.run();
                        n++;
                    }
                    return n;
                }));
            }
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            long total = 0;
            for (Future<Integer> f : counts) {
                total += f.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Runnable one(Case c, ImagePreprocessor prep) {
        return new Runnable() {
            private int next;

            @Override
            public void run() {
                byte[] img = c.images().get(next++ % c.images().size());
                if (c.fullResolution()) {
                    prep.prepare(prep.decoder().decode(img).image());
                } else {
                    prep.prepare(img);
                }
            }
        };
    }
}
