package io.argus.trainer.live;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The share of each version's served results, per sensor, whose confidence was under a line: a
 * signal that needs no labels. A version that has become unsure where its predecessor was sure
 * (flat outputs from a broken export, preprocessing it was not trained for) shows here long before
 * enough labels arrive to show it in live accuracy.
 *
 * <p>Bounded: the last {@code window} results per version and sensor, the first {@code maxSensors}
 * sensors of a version, the latest {@code maxVersions} versions.
 */
public final class LowConfidenceRates {

    /** One sensor's window under one version: {@code low} of the last {@code n} results were under the line. */
    public record Rate(String sensorId, int low, int n) {

        public double share() {
            return n == 0 ? 0 : (double) low / n;
        }
    }

    private final double line;
    private final int window;
    private final int maxSensors;
    private final int maxVersions;
    private final LinkedHashMap<Integer, Map<String, Ring>> versions = new LinkedHashMap<>();

    /**
     * @param line confidence under which a result counts as unsure (the review threshold's default)
     */
    public LowConfidenceRates(double line, int window, int maxSensors, int maxVersions) {
        this.line = line;
        this.window = window;
        this.maxSensors = maxSensors;
        this.maxVersions = maxVersions;
    }

    public synchronized void served(int version, String sensorId, double confidence) {
        if (sensorId == null) {
            return;
        }
        Map<String, Ring> sensors = versions.get(version);
        if (sensors == null) {
            if (versions.size() >= maxVersions) {
                versions.remove(versions.keySet().iterator().next());
            }
            sensors = new LinkedHashMap<>();
            versions.put(version, sensors);
        }
        Ring ring = sensors.get(sensorId);
        if (ring == null) {
            if (sensors.size() >= maxSensors) {
                return;
            }
            ring = new Ring(window);
            sensors.put(sensorId, ring);
        }
        ring.add(confidence < line);
    }

    /** A version's windows, one per sensor; empty when it has served nothing here. */
    public synchronized List<Rate> of(int version) {
        Map<String, Ring> sensors = versions.get(version);
        if (sensors == null) {
            return List.of();
        }
        List<Rate> rates = new ArrayList<>();
        sensors.forEach((sensor, ring) -> rates.add(new Rate(sensor, ring.low, ring.n)));
        return Collections.unmodifiableList(rates);
    }

    public synchronized Optional<Rate> of(int version, String sensorId) {
        Map<String, Ring> sensors = versions.get(version);
        Ring ring = sensors == null ? null : sensors.get(sensorId);
        return ring == null ? Optional.empty() : Optional.of(new Rate(sensorId, ring.low, ring.n));
    }

    /** The last {@code size} yes/no answers and how many were yes. */
    private static final class Ring {
        private final boolean[] values;
        private int next;
        private int n;
        private int low;

        Ring(int size) {
            this.values = new boolean[size];
        }

        void add(boolean isLow) {
            if (n == values.length && values[next]) {
                low--;
            }
            values[next] = isLow;
            if (isLow) {
                low++;
            }
            next = (next + 1) % values.length;
            n = Math.min(n + 1, values.length);
        }
    }
}
