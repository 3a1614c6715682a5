package io.argus.trainer.labels;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.argus.common.error.ArgusException;

/**
 * At most {@code perMinute} labels per labeler and {@code perKeyPerMinute} per API key, as token
 * buckets (bursts up to a minute's worth, refilled continuously): one compromised or careless key
 * cannot flood the training set, whatever person it claims to be.
 */
final class LabelRateLimiter {

    private record Bucket(double tokens, long at) {
    }

    private final int perMinute;
    private final int perKeyPerMinute;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final LongSupplier clock;

    LabelRateLimiter(int perMinute, int perKeyPerMinute) {
        this(perMinute, perKeyPerMinute, System::nanoTime);
    }

    LabelRateLimiter(int perMinute, int perKeyPerMinute, LongSupplier nanoClock) {
        this.perMinute = perMinute;
        this.perKeyPerMinute = perKeyPerMinute;
        this.clock = nanoClock;
    }

    /** Takes {@code count} labels from the key's and the labeler's allowance, or refuses them all. */
    synchronized void take(Labelers.Labeler labeler, int count) {
        long now = clock.getAsLong();
        check("key:" + labeler.key(), "API key " + labeler.key(), perKeyPerMinute, count, now);
        check("labeler:" + labeler.name(), labeler.name(), perMinute, count, now);
        spend("key:" + labeler.key(), perKeyPerMinute, count, now);
        spend("labeler:" + labeler.name(), perMinute, count, now);
    }

    private void check(String bucket, String who, int limit, int count, long now) {
        if (limit <= 0) {
            return;
        }
        double tokens = tokens(bucket, limit, now);
        if (count > tokens) {
            long waitSeconds = (long) Math.ceil((count - tokens) * 60.0 / limit);
            throw ArgusException.rateLimited("RATE_LIMITED", who + " may give " + limit + " labels per minute; "
                    + (count > limit ? "send at most " + limit + " at once" : "retry in " + waitSeconds + " s"),
                    Duration.ofSeconds(Math.max(1, waitSeconds)));
        }
    }

    private void spend(String bucket, int limit, int count, long now) {
        if (limit > 0) {
            buckets.put(bucket, new Bucket(tokens(bucket, limit, now) - count, now));
        }
    }

    private double tokens(String bucket, int limit, long now) {
        Bucket b = buckets.getOrDefault(bucket, new Bucket(limit, now));
        return Math.min(limit, b.tokens() + (now - b.at()) / 60e9 * limit);
    }
}
