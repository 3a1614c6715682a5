package io.argus.common.image;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory a service lets its image decodes use at once. Each decode claims what it needs
 * (estimated from the header, before any pixel is decoded) and gives it back when done; a decode
 * that cannot get its claim within the wait is answered {@link DecoderBusy}. So a burst of large
 * images is decoded a few at a time, and those that find no room are asked to come back, instead
 * of all of them together running the heap out and failing as if their files were broken.
 *
 * <p>One instance per service (the permits are shared by every decoder built with it).
 * Thread-safe. Fair: a large claim waiting for room is not overtaken forever by small ones.
 */
public final class DecodeMemory {

    /** Suggested to retry after when a decoder without a budget runs out of memory anyway. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** Permits count KiB, so that budgets beyond 2 GiB fit a semaphore's int. */
    private static final long UNIT = 1024;

    private static final DecodeMemory UNBOUNDED = new DecodeMemory();

    private final Semaphore kib;
    private final long budgetBytes;
    private final Duration wait;
    private final Duration retryAfter;

    private DecodeMemory() {
        this.kib = null;
        this.budgetBytes = Long.MAX_VALUE;
        this.wait = Duration.ZERO;
        this.retryAfter = DEFAULT_RETRY_AFTER;
    }

    /**
     * @param budgetBytes what all decodes may hold at once
     * @param wait        how long a decode waits for room before it gives up with {@link DecoderBusy}
     * @param retryAfter  what {@link DecoderBusy} suggests to the client
     */
    public DecodeMemory(long budgetBytes, Duration wait, Duration retryAfter) {
        if (budgetBytes < UNIT || budgetBytes / UNIT > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a decode memory budget is 1 KiB to 2 TiB, not " + budgetBytes + " bytes");
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("the wait for decode memory cannot be negative: " + wait);
        }
        this.budgetBytes = budgetBytes;
        this.kib = new Semaphore((int) (budgetBytes / UNIT), true);
        this.wait = wait;
        this.retryAfter = retryAfter;
    }

    /** No budget: every decode runs at once, as many as there are threads (the behaviour before budgets). */
    public static DecodeMemory unbounded() {
        return UNBOUNDED;
    }

    /** The budget of {@code argus.images.decode-memory} and {@code .decode-wait}. */
    public static DecodeMemory of(ImageLimitsConfig config, Duration retryAfter) {
        return new DecodeMemory(config.decodeMemory(), config.decodeWait(), retryAfter);
    }

    public boolean bounded() {
        return kib != null;
    }

    /** What all decodes may hold at once; {@link Long#MAX_VALUE} when unbounded. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** What is not claimed right now; {@link Long#MAX_VALUE} when unbounded. */
    public long availableBytes() {
        return kib == null ? Long.MAX_VALUE : kib.availablePermits() * UNIT;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Claims {@code bytes} (at most the whole budget), waiting up to the configured wait for them.
     *
     * @throws DecoderBusy when the room does not come in time
     */
    public Claim claim(long bytes) {
        if (kib == null) {
            return new Claim(0);
        }
        int permits = (int) Math.min(budgetBytes / UNIT, Math.max(1, (bytes + UNIT - 1) / UNIT));
        try {
            if (kib.tryAcquire(permits, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return new Claim(permits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DecoderBusy("decoding this image needs about " + mib(bytes) + " MiB and the decoders' "
                + mib(budgetBytes) + " MiB are in use by other images; the image was not looked at: retry later",
                retryAfter, null);
    }

    /** Bytes in MiB, rounded up, for messages. */
    static long mib(long bytes) {
        return Math.max(1, (bytes + (1 << 20) - 1) >> 20);
    }

    /** Memory held by one decode; {@link #close()} gives it back (once). */
    public final class Claim implements AutoCloseable {

        private int permits;

        private Claim(int permits) {
            this.permits = permits;
        }

        @Override
        public synchronized void close() {
            if (permits > 0) {
                kib.release(permits);
                permits = 0;
            }
        }
    }
}
