package io.argus.common.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How a model did on held-out samples.
 *
 * @param confusion {@code confusion[actual][predicted]} counts, index-aligned with the labels
 */
public record ModelMetrics(int samples, double accuracy, double macroPrecision, double macroRecall, double macroF1,
                           List<ClassMetrics> perClass, List<List<Integer>> confusion) {

    /**
     * Metrics from a confusion matrix. Macro averages are over the classes present in the test
     * samples, so a class nobody labeled yet does not drag F1 to zero.
     */
    public static ModelMetrics fromConfusion(List<String> labels, int[][] confusion) {
        int n = labels.size();
        int total = 0;
        int correct = 0;
        List<ClassMetrics> perClass = new ArrayList<>(n);
        double sumP = 0;
        double sumR = 0;
        double sumF = 0;
        int present = 0;
        for (int i = 0; i < n; i++) {
            int tp = confusion[i][i];
            int actual = 0;
            int predicted = 0;
            for (int j = 0; j < n; j++) {
                actual += confusion[i][j];
                predicted += confusion[j][i];
            }
            total += actual;
            correct += tp;
            double p = predicted == 0 ? 0 : (double) tp / predicted;
            double r = actual == 0 ? 0 : (double) tp / actual;
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            perClass.add(new ClassMetrics(labels.get(i), p, r, f, actual));
            if (actual > 0) {
                present++;
                sumP += p;
                sumR += r;
                sumF += f;
            }
        }
        List<List<Integer>> rows = new ArrayList<>(n);
        for (int[] row : confusion) {
            List<Integer> r = new ArrayList<>(n);
            for (int v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        double k = Math.max(1, present);
        return new ModelMetrics(total, total == 0 ? 0 : (double) correct / total, sumP / k, sumR / k, sumF / k,
                perClass, rows);
    }
}
