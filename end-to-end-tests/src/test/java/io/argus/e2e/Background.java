package io.argus.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work a test runs beside itself (a camera streaming, a promotion after a delay). Whatever it
 * throws fails the test: {@link #await} rethrows it, and says so when the work did not finish.
 */
final class Background {

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final String name;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Background(String name, Work work) {
        this.name = name;
        this.thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "e2e-" + name);
        thread.setDaemon(true);
    }

    static Background start(String name, Work work) {
        Background b = new Background(name, work);
        b.thread.start();
        return b;
    }

    /** Whether the work has failed already (the test may stop early). */
    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError(name + " failed: " + t, t);
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Interrupts the work and waits for it to end: the test failed early and must not leave it running. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }

    /** Waits for the work; fails if it threw or is still running after {@code timeout}. */
    void await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        check();
        if (thread.isAlive()) {
            thread.interrupt();
            throw new AssertionError(name + " still running after " + timeout);
        }
    }
}
