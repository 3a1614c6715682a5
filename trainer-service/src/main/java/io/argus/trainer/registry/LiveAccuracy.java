package io.argus.trainer.registry;

import java.util.List;
import java.util.Optional;

/**
 * How often a version's served results were right, by the labels people later gave for those very
 * results (see {@code io.argus.trainer.live}): over the version's most recent {@code window}
 * joined labels, overall and per sensor, each with n and a 95% Wilson interval.
 *
 * @param window the most labels of one version counted; older ones have left the window
 */
public record LiveAccuracy(int version, int n, int correct, Double accuracy, double lower, double upper, int window,
                           List<Sensor> sensors) {

    /** The same figures for one sensor's images. */
    public record Sensor(String sensorId, int n, int correct, Double accuracy, double lower, double upper) {
    }

    /** What the live package measures; the registry shows it beside each version. */
    public interface Source {
        /** The live accuracy of a version; empty while no label was joined to one of its results. */
        Optional<LiveAccuracy> of(int version);
    }
}
