package io.argus.learning.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits samples into train, validation and test sets class by class, so every class that has
 * enough samples is present in each. Deterministic: the order within a class comes from a hash
 * of the sample id, so a sample stays in the same split from run to run (runs, and a candidate
 * and its champion, are compared on the same held-out samples).
 *
 * <p>Per class with n samples: test gets round(n * testFraction) but at least 1 when n >= 2;
 * validation likewise when n >= 3; training keeps at least one.
 */
public final class StratifiedSplit {

    /** The three parts, as indices into the original list. */
    public record Parts(List<Integer> train, List<Integer> validation, List<Integer> test) {
    }

    private StratifiedSplit() {
    }

    public static <T> Parts of(List<T> samples, Function<T, String> label, Function<T, String> id,
                               double validationFraction, double testFraction) {
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            byClass.computeIfAbsent(label.apply(samples.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> members : byClass.values()) {
            members.sort(Comparator.comparingInt((Integer i) -> mix(id.apply(samples.get(i)).hashCode()))
                    .thenComparing(i -> id.apply(samples.get(i))));
            int n = members.size();
            int nTest = n >= 2 ? Math.max(1, (int) Math.round(n * testFraction)) : 0;
            int nVal = n >= 3 ? Math.max(1, (int) Math.round(n * validationFraction)) : 0;
            while (nTest + nVal > n - 1 && nVal > 0) {
                nVal--;
            }
            while (nTest > n - 1 && nTest > 0) {
                nTest--;
            }
            test.addAll(members.subList(0, nTest));
            validation.addAll(members.subList(nTest, nTest + nVal));
            train.addAll(members.subList(nTest + nVal, n));
        }
        return new Parts(train, validation, test);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
