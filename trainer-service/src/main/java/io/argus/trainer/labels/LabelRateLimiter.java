package io.argus.trainer.labels;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.argus.common.error.ArgusException;

/**
 * At most {@code perMinute} labels per labeler, as a token bucket (bursts up to a minute's worth,
 * refilled continuously): one compromised or careless key cannot flood the training set.
 */
final class LabelRateLimiter {

    private record Bucket(double tokens, long at) {
    }

    private final int perMinute;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final java.util.function.LongSupplier clock;

    LabelRateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    LabelRateLimiter(int perMinute, java.util.function.LongSupplier nanoClock) {
        this.perMinute = perMinute;
        this.clock = nanoClock;
    }

    /** Takes {@code count} labels from the labeler's allowance, or refuses them all with 429. */
    synchronized void take(String labeler, int count) {
        if (perMinute <= 0) {
            return;
        }
        long now = clock.getAsLong();
        Bucket b = buckets.getOrDefault(labeler, new Bucket(perMinute, now));
        double tokens = Math.min(perMinute, b.tokens() + (now - b.at()) / 60e9 * perMinute);
        if (count > tokens) {
            long waitSeconds = (long) Math.ceil((count - tokens) * 60.0 / perMinute);
            buckets.put(labeler, new Bucket(tokens, now));
            throw ArgusException.rateLimited("RATE_LIMITED", labeler + " may give " + perMinute + " labels per minute; "
                    + (count > perMinute ? "send at most " + perMinute + " at once" : "retry in " + waitSeconds + " s"),
                    Duration.ofSeconds(Math.max(1, waitSeconds)));
        }
        buckets.put(labeler, new Bucket(tokens - count, now));
    }
}
