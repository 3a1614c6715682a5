package io.argus.learning.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    record Sample(String id, String label) {
    }

    @Test
    void everyClassWithEnoughSamplesIsInEverySplitInProportion() {
        List<Sample> samples = new ArrayList<>();
        for (String label : List.of("a", "b", "c")) {
            for (int i = 0; i < 20; i++) {
                samples.add(new Sample(label + i, label));
            }
        }

        StratifiedSplit.Parts parts = StratifiedSplit.of(samples, Sample::label, Sample::id, 0.15, 0.2);

        assertThat(parts.test()).hasSize(12);
        assertThat(parts.validation()).hasSize(9);
        assertThat(parts.train()).hasSize(39);
        for (List<Integer> part : List.of(parts.train(), parts.validation(), parts.test())) {
            assertThat(part.stream().map(i -> samples.get(i).label()).distinct()).containsExactlyInAnyOrder("a", "b", "c");
        }
        Set<Integer> all = new HashSet<>(parts.train());
        all.addAll(parts.validation());
        all.addAll(parts.test());
        assertThat(all).hasSize(60);
    }

    @Test
    void aSampleStaysInItsSplitWhenMoreSamplesArrive() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            samples.add(new Sample("s" + i, "x"));
        }
        StratifiedSplit.Parts before = StratifiedSplit.of(samples, Sample::label, Sample::id, 0.15, 0.2);
        List<Sample> more = new ArrayList<>(samples);
        more.add(new Sample("s30", "x"));

        StratifiedSplit.Parts after = StratifiedSplit.of(more, Sample::label, Sample::id, 0.15, 0.2);

        assertThat(after.test().stream().map(i -> more.get(i).id()))
                .containsAnyElementsOf(before.test().stream().map(i -> samples.get(i).id()).toList());
        assertThat(StratifiedSplit.of(samples, Sample::label, Sample::id, 0.15, 0.2)).isEqualTo(before);
    }

    @Test
    void rareClassesKeepATrainingSampleFirst() {
        List<Sample> samples = List.of(new Sample("one", "rare"), new Sample("two-a", "pair"), new Sample("two-b", "pair"),
                new Sample("t1", "three"), new Sample("t2", "three"), new Sample("t3", "three"));

        StratifiedSplit.Parts parts = StratifiedSplit.of(samples, Sample::label, Sample::id, 0.15, 0.2);

        assertThat(parts.train().stream().map(i -> samples.get(i).label())).contains("rare", "pair", "three");
        assertThat(parts.test().stream().map(i -> samples.get(i).label())).containsExactlyInAnyOrder("pair", "three");
        assertThat(parts.validation().stream().map(i -> samples.get(i).label())).containsExactly("three");
    }
}
