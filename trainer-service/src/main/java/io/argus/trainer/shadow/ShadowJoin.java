package io.argus.trainer.shadow;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.argus.common.contract.ShadowResult;

/**
 * What the candidates in shadow answered, image by image beside the champion, and the labels
 * people gave for the same raw records. Either side may come first (after a restart all labels
 * may be read before the shadow results), so both are kept and joined when counted.
 *
 * <p>An image is its raw record (topic, partition, offset): a shadow result written twice for
 * one record (inference writes them at least once) counts once. At most {@code maxImages} images
 * per version and as many labels are kept; beyond, the oldest leave. Thread-safe.
 */
public final class ShadowJoin {

    /** A raw record: what a shadow result and a label given by image id both name. */
    public record RawKey(String topic, int partition, long offset) {
    }

    /** Both answers for one image. */
    private record Image(String sensorId, String champion, double championConfidence, String candidate) {
    }

    /** Counts of one slice (a sensor, or everything): agreement and the labels' paired table. */
    public record Counts(int images, int agreed, int confident, int confidentAgreed, int labeled, int bothRight,
                         int onlyCandidate, int onlyChampion) {

        public int candidateRight() {
            return bothRight + onlyCandidate;
        }

        public int championRight() {
            return bothRight + onlyChampion;
        }

        public int neitherRight() {
            return labeled - bothRight - onlyCandidate - onlyChampion;
        }
    }

    /** A version's counts: over all its images, and per sensor (sorted by id). */
    public record Tally(int version, Counts all, Map<String, Counts> sensors) {
    }

    private final int maxImages;
    private final Map<Integer, LinkedHashMap<RawKey, Image>> images = new HashMap<>();
    private final LinkedHashMap<RawKey, String> labels;
    private final Map<String, RawKey> labelOf = new HashMap<>();

    public ShadowJoin(int maxImages) {
        if (maxImages < 1) {
            throw new IllegalArgumentException("max-images must be positive");
        }
        this.maxImages = maxImages;
        this.labels = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RawKey, String> eldest) {
                return size() > maxImages;
            }
        };
    }

    /** A shadow result; false when its image was counted already (a duplicate) or it names no raw record. */
    public synchronized boolean shadowed(ShadowResult r) {
        if (r.source() == null || r.champion() == null || r.candidate() == null) {
            return false;
        }
        LinkedHashMap<RawKey, Image> of = images.computeIfAbsent(r.candidate().version(), v -> new LinkedHashMap<>(
                1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RawKey, Image> eldest) {
                return size() > maxImages;
            }
        });
        RawKey key = new RawKey(r.source().topic(), r.source().partition(), r.source().offset());
        if (of.containsKey(key)) {
            return false;
        }
        of.put(key, new Image(r.sensorId(), r.champion().label(), r.champion().confidence(), r.candidate().label()));
        return true;
    }

    /** A label people gave for the image of {@code record}; replaces an earlier label of the same sample. */
    public synchronized void labeled(String sampleId, RawKey record, String label) {
        removed(sampleId);
        labels.put(record, label);
        labelOf.put(sampleId, record);
    }

    /** A sample left the training set (or is about to be replaced). */
    public synchronized void removed(String sampleId) {
        RawKey key = labelOf.remove(sampleId);
        if (key != null) {
            labels.remove(key);
        }
    }

    /** Distinct images a version answered in shadow. */
    public synchronized int images(int version) {
        LinkedHashMap<RawKey, Image> of = images.get(version);
        return of == null ? 0 : of.size();
    }

    public synchronized Set<Integer> versions() {
        return new TreeSet<>(images.keySet());
    }

    /** Forgets a version's images (its shadow is over). */
    public synchronized void forget(int version) {
        images.remove(version);
    }

    /**
     * Counts a version's images: agreement, agreement where the champion's confidence was at least
     * {@code confident}, and each labeled image judged for both answers.
     */
    public synchronized Tally tally(int version, double confident) {
        int[] all = new int[8];
        Map<String, int[]> perSensor = new TreeMap<>();
        LinkedHashMap<RawKey, Image> of = images.getOrDefault(version, new LinkedHashMap<>());
        for (Map.Entry<RawKey, Image> e : of.entrySet()) {
            Image i = e.getValue();
            int[] s = perSensor.computeIfAbsent(i.sensorId() == null ? "(unknown)" : i.sensorId(), k -> new int[8]);
            count(all, i, labels.get(e.getKey()), confident);
            count(s, i, labels.get(e.getKey()), confident);
        }
        Map<String, Counts> sensors = new LinkedHashMap<>();
        perSensor.forEach((sensor, c) -> sensors.put(sensor, counts(c)));
        return new Tally(version, counts(all), sensors);
    }

    private static void count(int[] c, Image i, String label, double confident) {
        boolean agrees = i.champion().equals(i.candidate());
        c[0]++;
        c[1] += agrees ? 1 : 0;
        if (i.championConfidence() >= confident) {
            c[2]++;
            c[3] += agrees ? 1 : 0;
        }
        if (label != null) {
            boolean candidate = label.equals(i.candidate());
            boolean champion = label.equals(i.champion());
            c[4]++;
            c[5] += candidate && champion ? 1 : 0;
            c[6] += candidate && !champion ? 1 : 0;
            c[7] += champion && !candidate ? 1 : 0;
        }
    }

    private static Counts counts(int[] c) {
        return new Counts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    }
}
