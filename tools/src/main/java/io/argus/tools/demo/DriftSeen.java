package io.argus.tools.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DriftEvent;

/**
 * The drift flags raised and cleared while one stream ran, each placed at the sensor's image that
 * crossed the line: "new-camera flagged at its 150th image". An event names the image whose answer
 * crossed the threshold; the image's place is counted here from the results as they come, so the
 * line is right whichever of the two the demo reads first.
 */
final class DriftSeen {

    /** Per sensor, how many of its results this stream has seen. */
    private final Map<String, Integer> perSensor = new TreeMap<>();
    /** The place of every result in its sensor's stream, by image id. */
    private final Map<String, Integer> place = new HashMap<>();
    private final List<DriftEvent> events = new ArrayList<>();

    synchronized void result(Classification c) {
        if (c.sensorId() == null || place.containsKey(c.imageId())) {
            return;
        }
        place.put(c.imageId(), perSensor.merge(c.sensorId(), 1, Integer::sum));
    }

    synchronized void event(DriftEvent e) {
        events.add(e);
    }

    /** One line per event, or one line saying no sensor was flagged. */
    synchronized List<String> lines() {
        if (events.isEmpty()) {
            return List.of(String.format(Locale.ROOT, "no sensor flagged (%d sensors, %d results)", perSensor.size(),
                    place.size()));
        }
        List<String> lines = new ArrayList<>();
        for (DriftEvent e : events) {
            Integer at = place.get(e.imageId());
            lines.add(String.format(Locale.ROOT, "%s %s at its image %s of this stream (score %.3f, %s %.2f, v%d)",
                    e.sensorId(), e.state() == DriftEvent.State.DRIFTED ? "flagged" : "cleared",
                    at == null ? "?" : at.toString(), e.score(),
                    e.state() == DriftEvent.State.DRIFTED ? "threshold" : "clears under",
                    e.state() == DriftEvent.State.DRIFTED ? e.threshold() : e.clearBelow(), e.modelVersion()));
        }
        return lines;
    }
}
