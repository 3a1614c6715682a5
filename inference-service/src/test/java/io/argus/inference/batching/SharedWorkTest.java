package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch worked on by the caller and a pool: every item once, in order, none left in flight. */
class SharedWorkTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void everyItemIsDoneOnceAndTheResultsAreInOrder() {
        for (int batch = 0; batch < 300; batch++) {
            int n = 1 + batch % 40;
            AtomicIntegerArray runs = new AtomicIntegerArray(n);
            List<Integer> out = SharedWork.map(n, i -> {
                runs.incrementAndGet(i);
                if (ThreadLocalRandom.current().nextInt(4) == 0) {
                    sleep(1);
                }
                return i * 10;
            }, pool, 2);

            assertThat(out).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.get(i)).isEqualTo(i * 10);
                assertThat(runs.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void anItemInAPoolThreadsHandsIsWaitedFor() {
        CountDownLatch helperStarted = new CountDownLatch(1);
        String caller = Thread.currentThread().getName();
        long start = System.nanoTime();

        List<String> out = SharedWork.map(4, i -> {
            if (!Thread.currentThread().getName().equals(caller)) {
                helperStarted.countDown();
                sleep(300);
                return "pool " + i;
            }
            await(helperStarted);
            return "caller " + i;
        }, pool, 1);

        assertThat(out).doesNotContainNull().anyMatch(s -> s.startsWith("pool"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aPoolThatNeverGetsToItLeavesAllTheWorkToTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pool.submit(() -> await(release));
        pool.submit(() -> await(release));

        List<Integer> out = SharedWork.map(32, i -> i, pool, 2);

        assertThat(out).hasSize(32).doesNotContainNull();
        release.countDown();
    }

    @Test
    void aFailingItemFailsTheCallOnceTheItemsTakenAreDone() {
        assertThatThrownBy(() -> SharedWork.map(20, i -> {
            if (i == 5) {
                throw new IllegalStateException("item 5");
            }
            return i;
        }, pool, 2)).isInstanceOf(IllegalStateException.class).hasMessage("item 5");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
