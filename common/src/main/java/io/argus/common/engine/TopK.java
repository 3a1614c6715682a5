package io.argus.common.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.argus.common.contract.Classification.LabelScore;

/** The most probable labels of one model output, most probable first. */
public final class TopK {

    private TopK() {
    }

    public static List<LabelScore> of(float[] probabilities, List<String> labels, int k) {
        Integer[] order = new Integer[probabilities.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
        int n = Math.max(1, Math.min(k, probabilities.length));
        List<LabelScore> top = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            top.add(new LabelScore(labels.get(order[j]), probabilities[order[j]]));
        }
        return top;
    }
}
