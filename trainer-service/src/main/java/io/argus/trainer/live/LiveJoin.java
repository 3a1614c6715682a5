package io.argus.trainer.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import io.argus.learning.gate.Intervals;
import io.argus.trainer.registry.LiveAccuracy;

/**
 * Joins the labels people give to the results that were served for the same raw record: which
 * version answered, what it said, and with what confidence. From the joined labels, the live
 * accuracy of each version, overall and per sensor, over its most recent {@code window} labels.
 *
 * <p>The two sides come from two topics read on two threads, in no particular order (a restarted
 * trainer may read all labels before the results they were given for), so either side may wait
 * for the other: a label whose result is not known yet waits among the pending labels, and is
 * joined when the result comes.
 *
 * <p>Memory is bounded by four caps: at most {@code maxResults} served results are remembered
 * (the oldest leave first; a label given later for one of them is never joined), at most
 * {@code maxPending} labels wait for their result (the oldest give up), at most {@code window}
 * joined labels per version and at most {@code maxVersions} versions (the lowest numbers leave).
 * Labels that could not be joined are counted ({@link #unjoined()}).
 *
 * <p>A label given again for the same sample replaces the first (a correction is not a second
 * vote); a removed sample leaves the figures. Thread-safe.
 */
public final class LiveJoin {

    /** A raw record: what a result and a label given by image id both name. */
    public record RawKey(String topic, int partition, long offset) {

        public RawKey {
            topic = topic.intern();
        }
    }

    /** What was served for one raw record. */
    public record Served(int version, String sensorId, String label, double confidence) {

        public Served {
            // Few distinct sensors and labels, hundreds of thousands of results: share the strings.
            sensorId = sensorId == null ? null : sensorId.intern();
            label = label == null ? null : label.intern();
        }
    }

    /** A label joined to the result it judges. */
    record Outcome(String sensorId, boolean correct, double confidence) {
    }

    private record Pending(String sampleId, String label) {
    }

    private final int window;
    private final int maxVersions;
    private final LinkedHashMap<RawKey, Served> results;
    private final LinkedHashMap<RawKey, Pending> pending;
    private final Map<Integer, LinkedHashMap<String, Outcome>> byVersion = new HashMap<>();
    /** Which version's window holds a sample's outcome, and the raw record a pending sample waits for. */
    private final Map<String, Integer> versionOf = new HashMap<>();
    private final Map<String, RawKey> pendingOf = new HashMap<>();
    private long unjoined;

    public LiveJoin(int window, int maxResults, int maxPending, int maxVersions) {
        if (window < 1 || maxResults < 1 || maxPending < 0 || maxVersions < 1) {
            throw new IllegalArgumentException("live accuracy caps must be positive");
        }
        this.window = window;
        this.maxVersions = maxVersions;
        this.results = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RawKey, Served> eldest) {
                return size() > maxResults;
            }
        };
        this.pending = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RawKey, Pending> eldest) {
                if (size() <= maxPending) {
                    return false;
                }
                pendingOf.remove(eldest.getValue().sampleId());
                unjoined++;
                return true;
            }
        };
    }

    /** A result that was served (a result written twice for one record, at least once, counts once). */
    public synchronized void served(RawKey record, Served served) {
        results.put(record, served);
        Pending waiting = pending.remove(record);
        if (waiting != null) {
            pendingOf.remove(waiting.sampleId());
            join(waiting.sampleId(), waiting.label(), served);
        }
    }

    /** A label people gave for the image of {@code record}; replaces an earlier label of the same sample. */
    public synchronized void labeled(String sampleId, RawKey record, String label) {
        removed(sampleId);
        Served served = results.get(record);
        if (served != null) {
            join(sampleId, label, served);
        } else {
            pending.put(record, new Pending(sampleId, label));
            pendingOf.put(sampleId, record);
        }
    }

    /** A sample left the training set (or is about to be replaced). */
    public synchronized void removed(String sampleId) {
        Integer version = versionOf.remove(sampleId);
        if (version != null) {
            LinkedHashMap<String, Outcome> outcomes = byVersion.get(version);
            if (outcomes != null) {
                outcomes.remove(sampleId);
            }
        }
        RawKey waiting = pendingOf.remove(sampleId);
        if (waiting != null) {
            pending.remove(waiting);
        }
    }

    /** Labels that gave up waiting for their result (it was never read, or left the results index). */
    public synchronized long unjoined() {
        return unjoined;
    }

    /** Labels waiting for their result right now. */
    public synchronized int pending() {
        return pending.size();
    }

    public synchronized List<Integer> versions() {
        return List.copyOf(new TreeSet<>(byVersion.keySet()));
    }

    /** The version's live accuracy, with 95% intervals; empty before any of its results was labeled. */
    public synchronized Optional<LiveAccuracy> accuracy(int version) {
        LinkedHashMap<String, Outcome> outcomes = byVersion.get(version);
        if (outcomes == null || outcomes.isEmpty()) {
            return Optional.empty();
        }
        Map<String, int[]> perSensor = new TreeMap<>();
        int correct = 0;
        for (Outcome o : outcomes.values()) {
            int[] c = perSensor.computeIfAbsent(o.sensorId() == null ? "(unknown)" : o.sensorId(), k -> new int[2]);
            c[0]++;
            if (o.correct()) {
                c[1]++;
                correct++;
            }
        }
        List<LiveAccuracy.Sensor> sensors = new ArrayList<>(perSensor.size());
        perSensor.forEach((sensor, c) -> {
            double[] ci = Intervals.wilson(c[1], c[0]);
            sensors.add(new LiveAccuracy.Sensor(sensor, c[0], c[1], (double) c[1] / c[0], ci[0], ci[1]));
        });
        int n = outcomes.size();
        double[] ci = Intervals.wilson(correct, n);
        return Optional.of(new LiveAccuracy(version, n, correct, (double) correct / n, ci[0], ci[1], window,
                List.copyOf(sensors)));
    }

    private void join(String sampleId, String label, Served served) {
        LinkedHashMap<String, Outcome> outcomes = byVersion.computeIfAbsent(served.version(), v -> new LinkedHashMap<>());
        outcomes.put(sampleId, new Outcome(served.sensorId(), label.equals(served.label()), served.confidence()));
        versionOf.put(sampleId, served.version());
        if (outcomes.size() > window) {
            Iterator<String> oldest = outcomes.keySet().iterator();
            versionOf.remove(oldest.next());
            oldest.remove();
        }
        while (byVersion.size() > maxVersions) {
            int lowest = new TreeSet<>(byVersion.keySet()).first();
            byVersion.remove(lowest).keySet().forEach(versionOf::remove);
        }
    }
}
