package io.argus.tools.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.argus.common.contract.Classification;
import java.util.Collections;
import java.util.Comparator;
import java.util.Random;
import java.util.TreeMap;

/**
 * What the demo has seen so far: counts, latencies, accuracy. An image's 202 and its result may
 * arrive in either order (the result can beat the HTTP answer), so both are matched here.
 */
final class Tally {

    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    volatile double sendSeconds;

    private int accepted;
    private int classified;
    private int correct;
    private int deadLettered;
    private int duplicates;
    /** An accepted image: its true label and its index in the test images. */
    private record Sent(String trueLabel, int index) {
    }

    /** Accepted images without a result yet. */
    private final Map<String, Sent> waiting = new HashMap<>();
    /** A result seen before its image's 202, and when it became visible. */
    private record Early(Classification result, long receivedAt) {
    }

    /** Results whose 202 has not been seen yet: id -> result (result null for a dead letter). */
    private final Map<String, Early> early = new HashMap<>();
    private final Set<String> done = new HashSet<>();
    /** An image's result next to its truth, for choosing what to label. */
    record Scored(String imageId, String trueLabel, String predicted, double confidence, int modelVersion, int index) {
    }

    private final List<Scored> scored = new ArrayList<>();
    private final Map<Integer, Integer> perVersion = new TreeMap<>();
    private final List<Long> latencies = new ArrayList<>();
    /** The part of each latency spent before inference published the result. */
    private final List<Long> inInference = new ArrayList<>();
    private final DriftSeen drift = new DriftSeen();
    private long firstResultAt;
    private long lastResultAt;

    synchronized void accepted(String imageId, String trueLabel, int index) {
        accepted++;
        Early e = early.remove(imageId);
        if (e != null) {
            if (e.result() == null) {
                deadLettered++;
            } else {
                count(e.result(), new Sent(trueLabel, index), e.receivedAt());
            }
            done.add(imageId);
        } else {
            waiting.put(imageId, new Sent(trueLabel, index));
        }
    }

    synchronized void classified(String imageId, Classification c, long receivedAt) {
        if (!done.add(imageId)) {
            duplicates++;
            return;
        }
        Sent sent = waiting.remove(imageId);
        if (sent == null) {
            done.remove(imageId);
            early.put(imageId, new Early(c, receivedAt));
            return;
        }
        count(c, sent, receivedAt);
    }

    synchronized void deadLettered(String imageId) {
        if (!done.add(imageId)) {
            return;
        }
        if (waiting.remove(imageId) != null) {
            deadLettered++;
        } else {
            done.remove(imageId);
            early.put(imageId, new Early(null, System.currentTimeMillis()));
        }
    }

    private void count(Classification c, Sent sent, long receivedAt) {
        String trueLabel = sent.trueLabel();
        scored.add(new Scored(c.imageId(), trueLabel, c.label(), c.confidence(), c.modelVersion(), sent.index()));
        perVersion.merge(c.modelVersion(), 1, Integer::sum);
        latencies.add(receivedAt - c.timings().ingestedAt().toEpochMilli());
        inInference.add(c.timings().classifiedAt().toEpochMilli() - c.timings().ingestedAt().toEpochMilli());
        if (classified++ == 0) {
            firstResultAt = receivedAt;
        }
        lastResultAt = receivedAt;
        if (c.label().equals(trueLabel)) {
            correct++;
        }
    }

    /** The drift flags raised and cleared while this stream ran. */
    DriftSeen drift() {
        return drift;
    }

    /** The {@code n} results the model was least sure about, least confident first, none of {@code exclude}. */
    synchronized List<Scored> leastConfident(int n, List<Scored> exclude) {
        return scored.stream().filter(s -> !exclude.contains(s)).sorted(Comparator.comparingDouble(Scored::confidence))
                .limit(n).toList();
    }

    /** {@code n} results chosen at random (seeded), none of {@code exclude}. */
    synchronized List<Scored> randomOthers(int n, List<Scored> exclude, long seed) {
        List<Scored> rest = new ArrayList<>(scored);
        rest.removeAll(exclude);
        Collections.shuffle(rest, new Random(seed));
        return rest.subList(0, Math.min(n, rest.size()));
    }

    /** How many results each model version produced. */
    synchronized Map<Integer, Integer> perVersion() {
        return new TreeMap<>(perVersion);
    }

    synchronized int accepted() {
        return accepted;
    }

    synchronized int classified() {
        return classified;
    }

    synchronized int correct() {
        return correct;
    }

    synchronized int deadLettered() {
        return deadLettered;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    /** Accepted images with neither a classification nor a dead letter yet. */
    synchronized int unaccounted() {
        return waiting.size();
    }

    /** p-th percentile of ingest-to-visible latency in ms, -1 if none yet. */
    synchronized long percentile(double p) {
        return percentile(latencies, p);
    }

    /** p-th percentile of ingest-to-published (inside inference) latency in ms, -1 if none yet. */
    synchronized long inferencePercentile(double p) {
        return percentile(inInference, p);
    }

    private static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    synchronized double throughput() {
        long span = lastResultAt - firstResultAt;
        return span <= 0 ? 0 : (classified - 1) * 1000.0 / span;
    }

    synchronized double accuracy() {
        return classified == 0 ? 0 : (double) correct / classified;
    }

    /** Accuracy on the test images with an index below {@code maxIndex}, and how many there were. */
    synchronized double[] accuracyBelow(int maxIndex) {
        List<Scored> those = scored.stream().filter(s -> s.index() < maxIndex).toList();
        long right = those.stream().filter(s -> s.predicted().equals(s.trueLabel())).count();
        return new double[] {those.isEmpty() ? 0 : (double) right / those.size(), those.size()};
    }

    String line(int total) {
        return String.format(Locale.ROOT,
                "sent %d/%d | accepted %d, refused %d | classified %d, dead-lettered %d | %.1f images/s | "
                        + "latency p50 %d ms, p95 %d ms, p99 %d ms | accuracy %.1f%%",
                sent.get(), total, accepted(), refused.get(), classified(), deadLettered(), throughput(),
                percentile(50), percentile(95), percentile(99), 100 * accuracy());
    }
}
