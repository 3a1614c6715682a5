package io.argus.e2e;

/**
 * Streams at a fixed rate: image {@code i} of a stream started at {@code startNanos} leaves on time.
 * Runs on the streaming thread of a {@link Background}, so an interrupt or a sender's exception
 * fails the test instead of ending a thread quietly.
 */
final class Pace {

    private Pace() {
    }

    static void await(long startNanos, int i, int perSecond) throws InterruptedException {
        long wait = startNanos + i * 1_000_000_000L / perSecond - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
