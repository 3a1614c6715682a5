package io.argus.learning.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class StableSplitTest {

    record Sample(String id, String label) {
    }

    private final StableSplit split = new StableSplit(0.15, 0.2);

    @Test
    void addingSamplesNeverMovesAnExistingSampleToAnotherPart() {
        List<Sample> samples = samples("x", 0, 40);
        Parts before = parts(samples);

        for (int more : new int[] {1, 7, 60, 500}) {
            List<Sample> grown = new ArrayList<>(samples);
            grown.addAll(samples("x", 40, 40 + more));
            grown.addAll(samples("y", 0, more));
            Parts after = parts(grown);

            Set<String> old = ids(samples);
            assertThat(after.test().stream().filter(old::contains).collect(Collectors.toSet()))
                    .as("held-out samples after %d more", more).isEqualTo(before.test());
            assertThat(after.validation().stream().filter(old::contains).collect(Collectors.toSet()))
                    .isEqualTo(before.validation());
            assertThat(after.train().stream().filter(old::contains).collect(Collectors.toSet()))
                    .isEqualTo(before.train());
        }
    }

    @Test
    void thePartsCoverEverySampleOnceInRoughlyTheAskedProportions() {
        List<Sample> samples = samples("c", 0, 4000);

        Parts parts = parts(samples);

        Set<String> all = new HashSet<>(parts.train());
        all.addAll(parts.validation());
        all.addAll(parts.test());
        assertThat(all).hasSize(4000);
        assertThat(parts.train().size() + parts.validation().size() + parts.test().size()).isEqualTo(4000);
        assertThat(parts.test().size() / 4000.0).isBetween(0.18, 0.22);
        assertThat(parts.validation().size() / 4000.0).isBetween(0.13, 0.17);
    }

    @Test
    void fractionsThatLeaveNothingToTrainOnAreRefused() {
        assertThatThrownBy(() -> new StableSplit(0.5, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StableSplit(-0.1, 0.2)).isInstanceOf(IllegalArgumentException.class);
    }

    record Parts(Set<String> train, Set<String> validation, Set<String> test) {
    }

    private Parts parts(List<Sample> samples) {
        StableSplit.Parts p = split.split(samples, Sample::id);
        return new Parts(ids(samples, p.train()), ids(samples, p.validation()), ids(samples, p.test()));
    }

    private static Set<String> ids(List<Sample> samples, List<Integer> indices) {
        return indices.stream().map(i -> samples.get(i).id()).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<Sample> samples) {
        return samples.stream().map(Sample::id).collect(Collectors.toSet());
    }

    private static List<Sample> samples(String label, int from, int to) {
        List<Sample> s = new ArrayList<>();
        for (int i = from; i < to; i++) {
            s.add(new Sample(label + "-" + i, label));
        }
        return s;
    }
}
