package io.argus.inference.shadow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.metrics.BoundedTagValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What running a candidate in shadow counts:
 * <ul>
 *   <li>{@code argus_shadow_images_total{result, sensor}}: images the candidate answered, {@code agree} or
 *       {@code disagree} with the champion's best label, or {@code failed} (it could not classify them);
 *       the first {@code sensor-tag-limit} sensors by name, the others as {@code other};</li>
 *   <li>{@code argus_shadow_dropped_total}: committed images not shadowed because the candidate was
 *       {@code queue-batches} behind.</li>
 * </ul>
 * The registry is cleared when the service stops ({@code MetersEndWithTheService}), but the
 * shadow thread runs until {@link ShadowRunner} is destroyed, after that: a sensor or result it
 * counts first in between would register a counter the next application in the same JVM finds
 * with this one's count. So counters registered here are removed with this bean, and none after.
 */
@ApplicationScoped
public class ShadowMetrics {

    private final MeterRegistry meters;
    private final BoundedTagValues sensors;
    private final Counter dropped;
    private final Map<String, Counter> images = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ShadowMetrics(ShadowConfig config, MeterRegistry meters) {
        this.meters = meters;
        this.sensors = new BoundedTagValues(config.sensorTagLimit());
        this.dropped = Counter.builder("argus.shadow.dropped")
                .description("Committed images not shadowed because the candidate fell behind").register(meters);
    }

    /** The candidate answered an image of this sensor, agreeing with the champion or not. */
    public void answered(String sensorId, boolean agrees) {
        count(agrees ? "agree" : "disagree", sensorId);
    }

    /** The candidate could not classify an image of this sensor. */
    public void failed(String sensorId) {
        count("failed", sensorId);
    }

    public void dropped(int count) {
        dropped.increment(count);
    }

    private void count(String result, String sensorId) {
        if (closed) {
            return;
        }
        String sensor = sensors.of(sensorId);
        images.computeIfAbsent(result + '\n' + sensor, k -> Counter.builder("argus.shadow.images")
                .description("Images a shadow candidate answered, by agreement with the champion and sensor")
                .tag("result", result).tag("sensor", sensor).register(meters)).increment();
    }

    @PreDestroy
    void close() {
        closed = true;
        images.values().forEach(meters::remove);
    }
}
