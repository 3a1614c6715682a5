package io.argus.inference.batching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The items of a batch worked on by the calling thread and up to {@code helpers} pool threads at
 * once: each takes the next item not yet taken until none is left, and the call returns once the
 * items in hand are done. A pool thread that starts late finds nothing left and is not waited
 * for, so a batch never waits for the scheduler to wake a thread more than for the work itself.
 */
final class SharedWork {

    private SharedWork() {
    }

    /**
     * {@code task} applied to {@code 0 .. n-1}, the results in that order. If a task throws, the
     * first exception is thrown here once every item taken is done (the items not yet taken are not).
     */
    static <T> List<T> map(int n, IntFunction<T> task, ExecutorService pool, int helpers) {
        Object[] out = new Object[n];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    if (failed.get() == null) {
                        out[i] = task.apply(i);
                    }
                } catch (RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        List<Future<?>> started = new ArrayList<>(helpers);
        for (int k = 0; k < Math.min(helpers, n - 1); k++) {
            started.add(pool.submit(work));
        }
        try {
            work.run();
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working on a batch", e);
        } finally {
            // Those not started yet would find nothing to do: they need not run at all.
            started.forEach(f -> f.cancel(false));
        }
        Throwable e = failed.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        @SuppressWarnings("unchecked")
        List<T> results = (List<T>) Arrays.asList(out);
        return results;
    }
}
