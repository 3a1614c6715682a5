package io.argus.common.drift;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.argus.common.model.DriftReference;

/**
 * Drift of every sensor a model serves, against the model's one reference: a
 * {@link DriftDetector} per sensor, made on its first image, up to {@code maxSensors} sensors (a
 * fleet of junk sensor ids cannot take the memory; later ones are not watched, see
 * {@link #unwatched()}). Answers are fed by one thread; the state may be read from any.
 */
public final class FleetDrift {

    /** A sensor that was just flagged or cleared, and its score. */
    public record Change(String sensorId, DriftDetector.Transition transition, DriftDetector.Score score) {
    }

    private final DriftReference reference;
    private final DriftDetector.Settings settings;
    private final int maxSensors;
    private final Map<String, DriftDetector> sensors = new ConcurrentHashMap<>();
    private final Set<String> drifted = ConcurrentHashMap.newKeySet();
    private long unwatched;

    public FleetDrift(DriftReference reference, DriftDetector.Settings settings, int maxSensors) {
        this.reference = reference;
        this.settings = settings;
        this.maxSensors = maxSensors;
    }

    /** Takes one answer for {@code sensorId}; the change it made, if any. */
    public Optional<Change> observe(String sensorId, int predictedClass, double confidence) {
        return observe(sensorId, predictedClass, confidence, null);
    }

    /** As {@link #observe(String, int, double)}, with the answer's embedding (null if it has none). */
    public Optional<Change> observe(String sensorId, int predictedClass, double confidence, float[] embedding) {
        DriftDetector d = sensors.get(sensorId);
        if (d == null) {
            if (sensors.size() >= maxSensors) {
                unwatched++;
                return Optional.empty();
            }
            d = new DriftDetector(reference, settings);
            if (drifted.contains(sensorId)) {
                d.carryDrifted();
            }
            sensors.put(sensorId, d);
        }
        DriftDetector.Transition t = d.observe(predictedClass, confidence, embedding);
        if (t == DriftDetector.Transition.NONE) {
            return Optional.empty();
        }
        if (t == DriftDetector.Transition.DRIFTED) {
            drifted.add(sensorId);
        } else {
            drifted.remove(sensorId);
        }
        return Optional.of(new Change(sensorId, t, d.score()));
    }

    /**
     * Marks sensors as flagged before any of their images came (they were flagged under the model
     * before): they stay flagged until their own windows clear them.
     */
    public void carryDrifted(Collection<String> sensorIds) {
        drifted.addAll(sensorIds);
    }

    public boolean drifted(String sensorId) {
        return drifted.contains(sensorId);
    }

    /** The flagged sensors, sorted. */
    public Set<String> drifted() {
        return new TreeSet<>(drifted);
    }

    /** A sensor's score, NaN while it has too few images (or none). */
    public DriftDetector.Score score(String sensorId) {
        DriftDetector d = sensors.get(sensorId);
        return d == null ? DriftDetector.Score.NONE : d.score();
    }

    /** Answers of sensors beyond {@code maxSensors}, which are not watched. */
    public long unwatched() {
        return unwatched;
    }

    public DriftDetector.Settings settings() {
        return settings;
    }

    public DriftReference reference() {
        return reference;
    }
}
