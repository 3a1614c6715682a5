package io.argus.common.model;

import java.util.List;

/** Counts predictions against truth, then turns them into {@link ModelMetrics}. */
public final class ConfusionMatrix {

    private final List<String> labels;
    private final int[][] counts;

    public ConfusionMatrix(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.counts = new int[labels.size()][labels.size()];
    }

    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    /** Adds the arg-max prediction of each row of {@code probabilities}. */
    public void addAll(int[] actual, float[][] probabilities) {
        for (int i = 0; i < actual.length; i++) {
            add(actual[i], argMax(probabilities[i]));
        }
    }

    public ModelMetrics metrics() {
        return ModelMetrics.fromConfusion(labels, counts);
    }

    public static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
