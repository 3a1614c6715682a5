package io.argus.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification.LabelScore;

class TopKTest {

    private static final List<String> LABELS = IntStream.range(0, 1000).mapToObj(i -> "label-" + i).toList();

    @Test
    void theMostProbableFirst() {
        assertThat(TopK.of(new float[] {0.1f, 0.6f, 0.05f, 0.25f}, LABELS, 3))
                .containsExactly(new LabelScore("label-1", 0.6f), new LabelScore("label-3", 0.25f),
                        new LabelScore("label-0", 0.1f));
    }

    @Test
    void ofEqualProbabilitiesTheLowerIndexFirst() {
        assertThat(TopK.of(new float[] {0.2f, 0.4f, 0.2f, 0.4f, 0.2f}, LABELS, 3)).extracting(LabelScore::label)
                .containsExactly("label-1", "label-3", "label-0");
    }

    @Test
    void atLeastOneAndAtMostAllLabels() {
        float[] p = {0.3f, 0.7f};
        assertThat(TopK.of(p, LABELS, 0)).extracting(LabelScore::label).containsExactly("label-1");
        assertThat(TopK.of(p, LABELS, 5)).extracting(LabelScore::label).containsExactly("label-1", "label-0");
    }

    /** The answer of sorting every index stably by descending probability, which it replaces. */
    @Test
    void whatSortingEveryLabelGives() {
        Random random = new Random(18);
        for (int run = 0; run < 20_000; run++) {
            int length = 1 + random.nextInt(run < 100 ? 1000 : 40);
            float[] p = new float[length];
            int distinct = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                // Few distinct values, so ties are common; now and then a NaN, an infinity or a signed zero.
                p[i] = switch (random.nextInt(40)) {
                    case 0 -> Float.NaN;
                    case 1 -> Float.NEGATIVE_INFINITY;
                    case 2 -> -0.0f;
                    case 3 -> 0.0f;
                    default -> random.nextInt(distinct) / (float) distinct;
                };
            }
            int k = random.nextInt(12);
            assertThat(TopK.of(p, LABELS, k)).as("k %d of %s", k, Arrays.toString(p)).isEqualTo(sorted(p, k));
        }
    }

    private static List<LabelScore> sorted(float[] p, int k) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        return Arrays.stream(order).limit(Math.max(1, Math.min(k, p.length)))
                .map(i -> new LabelScore(LABELS.get(i), p[i])).toList();
    }
}
