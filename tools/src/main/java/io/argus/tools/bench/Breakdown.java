package io.argus.tools.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where inference-service's time per image went in a run: the classification thread's time by step
 * ({@code argus_inference_loop_seconds_total{phase}}, read from the service before and after), over
 * the images of the run, beside the run's wall time per image measured by the bench between the same
 * two reads. The service books every moment of that thread to one step, so the steps add up to the
 * wall time; what they do not cover is time the thread did not run (it starts after the first read).
 *
 * @param phaseSeconds seconds per phase ({@link #PHASES}) between the two reads
 */
record Breakdown(int images, double wallSeconds, Map<String, Double> phaseSeconds) {

    /** The service's phases, as it tags them. */
    static final List<String> PHASES = List.of("consume", "wait", "decode", "model", "results", "commit", "other");

    /** What the bench prints, in that order: a name and the phases it sums. */
    static final Map<String, List<String>> COLUMNS = columns();

    private static Map<String, List<String>> columns() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("decode", List.of("decode"));
        c.put("model", List.of("model"));
        c.put("kafka consume", List.of("consume"));
        c.put("kafka commit", List.of("commit"));
        c.put("waiting", List.of("wait"));
        c.put("results", List.of("results"));
        c.put("other", List.of("other"));
        return c;
    }

    /** The difference of two reads of the service's counters, over {@code images} and {@code wallSeconds}. */
    static Breakdown between(Map<String, Double> before, Map<String, Double> after, int images, double wallSeconds) {
        Map<String, Double> d = new LinkedHashMap<>();
        for (String p : PHASES) {
            if (!after.containsKey(p)) {
                throw new IllegalStateException("inference-service does not report its " + p + " time "
                        + "(argus_inference_loop_seconds_total{phase=\"" + p + "\"}); it reports " + after.keySet());
            }
            d.put(p, after.get(p) - before.getOrDefault(p, 0.0));
        }
        return new Breakdown(images, wallSeconds, d);
    }

    /** Milliseconds per image of a printed column. */
    double msPerImage(String column) {
        return COLUMNS.get(column).stream().mapToDouble(phaseSeconds::get).sum() * 1000 / images;
    }

    double sumMsPerImage() {
        return COLUMNS.keySet().stream().mapToDouble(this::msPerImage).sum();
    }

    double wallMsPerImage() {
        return wallSeconds * 1000 / images;
    }
}
