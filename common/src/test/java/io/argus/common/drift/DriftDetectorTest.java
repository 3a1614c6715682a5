package io.argus.common.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.argus.common.model.DriftReference;

/**
 * Drift per sensor, on answers whose distribution the test controls: an ordinary camera answers
 * like the reference (ten classes alike, mostly confident), a shifted one mostly says one class, and
 * unsure (what the demo's inverted camera does to the Fashion-MNIST model).
 */
class DriftDetectorTest {

    private static final int CLASSES = 10;
    private static final DriftDetector.Settings SETTINGS = DriftDetector.Settings.DEFAULTS;

    @Test
    void aShiftedCameraIsFlaggedAsSoonAsItsWindowIsScored() {
        DriftReference reference = DriftReference.of(rows(ordinary(new Random(1)), 10_000), "test");
        DriftDetector d = new DriftDetector(reference, SETTINGS);
        Answers shifted = shifted(new Random(2));

        int flaggedAt = -1;
        for (int n = 1; n <= 200 && flaggedAt < 0; n++) {
            float[] row = shifted.next();
            if (d.observe(argMax(row), row[argMax(row)]) == DriftDetector.Transition.DRIFTED) {
                flaggedAt = n;
            }
        }
        assertThat(flaggedAt).as("images until flagged").isEqualTo(SETTINGS.minSamples());
        assertThat(d.drifted()).isTrue();
        assertThat(d.score().score()).isGreaterThanOrEqualTo(SETTINGS.threshold());
    }

    @Test
    void fourOrdinaryCamerasAreNotFlaggedOver5000Images() {
        DriftReference reference = DriftReference.of(rows(ordinary(new Random(1)), 10_000), "test");
        FleetDrift fleet = new FleetDrift(reference, SETTINGS, 100);
        Answers ordinary = ordinary(new Random(3));
        List<FleetDrift.Change> changes = new ArrayList<>();
        double max = 0;
        for (int i = 0; i < 5000; i++) {
            float[] row = ordinary.next();
            String sensor = "cam-" + (i % 4);
            fleet.observe(sensor, argMax(row), row[argMax(row)]).ifPresent(changes::add);
            if (fleet.score(sensor).known()) {
                max = Math.max(max, fleet.score(sensor).score());
            }
        }
        assertThat(changes).as("false alarms").isEmpty();
        assertThat(fleet.drifted()).isEmpty();
        assertThat(max).as("the highest score seen, with a margin under the threshold")
                .isLessThan(SETTINGS.threshold() * 0.8);
    }

    @Test
    void aFlaggedCameraClearsOnceOnlyWhenItsScoreFallsUnderTheClearingLevel() {
        DriftReference reference = DriftReference.of(rows(ordinary(new Random(1)), 10_000), "test");
        DriftDetector d = new DriftDetector(reference, SETTINGS);
        Answers shifted = shifted(new Random(4));
        Answers ordinary = ordinary(new Random(5));
        for (int i = 0; i < 300; i++) {
            float[] row = shifted.next();
            d.observe(argMax(row), row[argMax(row)]);
        }
        assertThat(d.drifted()).isTrue();

        // Back to ordinary: the window refills; the score passes the band between the two levels.
        int transitions = 0;
        int heldInBand = 0;
        DriftDetector.Transition last = DriftDetector.Transition.NONE;
        for (int i = 0; i < 1000; i++) {
            float[] row = ordinary.next();
            DriftDetector.Transition t = d.observe(argMax(row), row[argMax(row)]);
            double score = d.score().score();
            if (t != DriftDetector.Transition.NONE) {
                transitions++;
                last = t;
                assertThat(score).as("cleared only under the clearing level").isLessThan(SETTINGS.clearBelow());
            } else if (d.drifted() && score < SETTINGS.threshold() && score >= SETTINGS.clearBelow()) {
                heldInBand++;
            }
        }
        assertThat(last).isEqualTo(DriftDetector.Transition.CLEARED);
        assertThat(transitions).as("no flapping on the way back").isEqualTo(1);
        assertThat(heldInBand).as("images scored under the threshold that did not clear it (hysteresis)")
                .isPositive();
    }

    @Test
    void aReferenceBinsConfidenceByItsOwnQuantilesAndSurvivesTies() {
        float[][] rows = rows(ordinary(new Random(1)), 10_000);
        DriftReference reference = DriftReference.of(rows, "test");
        assertThat(reference.confidenceBins()).isEqualTo(DriftReference.CONFIDENCE_BINS);
        assertThat(reference.confidence()).allSatisfy(share -> assertThat(share).isBetween(0.09, 0.11));
        assertThat(reference.classes()).hasSize(CLASSES);

        float[][] saturated = new float[1000][];
        for (int i = 0; i < saturated.length; i++) {
            saturated[i] = new float[] {i < 700 ? 1f : 0.8f, i < 700 ? 0f : 0.2f};
        }
        DriftReference tied = DriftReference.of(saturated, "ties");
        assertThat(tied.confidenceCuts()).hasSize(1);
        assertThat(tied.confidenceCuts().get(0)).isCloseTo(0.8, within(1e-6));
        assertThat(tied.confidence()).containsExactly(0.3, 0.7);
    }

    @Test
    void aCameraWhoseEmbeddingsMoveButWhoseAnswersDoNotIsFlaggedByTheEmbeddingPart() {
        DriftReference reference = DriftReference.of(rows(ordinary(new Random(1)), 10_000),
                embeddings(new Random(11), 10_000, 0), "test");
        DriftDetector d = new DriftDetector(reference, SETTINGS);
        DriftDetector answersOnly = new DriftDetector(withoutEmbedding(reference), SETTINGS);
        Answers answers = ordinary(new Random(3));
        Random features = new Random(12);

        int flaggedAt = -1;
        for (int n = 1; n <= 200; n++) {
            float[] row = answers.next();
            // Every dimension a third of its standard deviation higher: the answers stay as they were.
            float[] e = embedding(features, 1.0 / 3);
            if (d.observe(argMax(row), row[argMax(row)], e) == DriftDetector.Transition.DRIFTED && flaggedAt < 0) {
                flaggedAt = n;
                assertThat(d.score().part()).isEqualTo("embedding");
            }
            answersOnly.observe(argMax(row), row[argMax(row)], e);
        }
        assertThat(flaggedAt).as("images until flagged").isEqualTo(SETTINGS.minSamples());
        assertThat(d.score().embedding()).isGreaterThanOrEqualTo(SETTINGS.threshold());
        assertThat(Math.max(d.score().confidencePsi(), d.score().classPsi())).as("the answers' parts stay quiet")
                .isLessThan(SETTINGS.clearBelow());
        assertThat(answersOnly.drifted()).as("the same answers, without the embedding part").isFalse();
    }

    @Test
    void ordinaryEmbeddingsRaiseNoFlagOver5000Images() {
        DriftReference reference = DriftReference.of(rows(ordinary(new Random(1)), 10_000),
                embeddings(new Random(11), 10_000, 0), "test");
        FleetDrift fleet = new FleetDrift(reference, SETTINGS, 100);
        Answers ordinary = ordinary(new Random(3));
        Random features = new Random(13);
        List<FleetDrift.Change> changes = new ArrayList<>();
        double max = 0;
        for (int i = 0; i < 5000; i++) {
            float[] row = ordinary.next();
            String sensor = "cam-" + (i % 4);
            fleet.observe(sensor, argMax(row), row[argMax(row)], embedding(features, 0)).ifPresent(changes::add);
            if (fleet.score(sensor).known()) {
                assertThat(fleet.score(sensor).embedding()).as("the embedding part is scored").isNotNaN();
                max = Math.max(max, fleet.score(sensor).embedding());
            }
        }
        assertThat(changes).as("false alarms").isEmpty();
        assertThat(max).as("the highest embedding part seen, with a margin under the threshold")
                .isLessThan(SETTINGS.threshold() * 0.8);
    }

    @Test
    void aReferenceWithoutAnEmbeddingSummaryLeavesTheEmbeddingPartOff() {
        DriftReference withSummary = DriftReference.of(rows(ordinary(new Random(1)), 10_000),
                embeddings(new Random(11), 10_000, 0), "test");
        // A manifest written before references carried the summary: the field is not there at all.
        String json = new String(io.argus.common.json.Json.write(withSummary), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"embedding\"\\s*:\\s*\\{[^}]*\\}", "");
        assertThat(json).doesNotContain("embedding");
        DriftReference old = io.argus.common.json.Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                DriftReference.class);
        assertThat(old.embedding()).isNull();
        assertThat(old.classes()).isEqualTo(withSummary.classes());

        DriftDetector d = new DriftDetector(old, SETTINGS);
        assertThat(d.watchesEmbedding()).isFalse();
        Answers answers = ordinary(new Random(3));
        Random features = new Random(12);
        for (int n = 1; n <= 400; n++) {
            float[] row = answers.next();
            d.observe(argMax(row), row[argMax(row)], embedding(features, 3));
        }
        assertThat(d.score().known()).isTrue();
        assertThat(d.score().embedding()).as("no embedding part").isNaN();
        assertThat(d.drifted()).as("embeddings far off, answers ordinary: nothing to see without the part").isFalse();
    }

    /** Answers one at a time, as probability rows. */
    private interface Answers {
        float[] next();
    }

    /** Ten classes alike; confidence mostly near 1, sometimes far from it. */
    private static Answers ordinary(Random random) {
        return () -> row(random.nextInt(CLASSES), 1 - 0.8 * Math.pow(random.nextDouble(), 3));
    }

    /** Mostly class 8, unsure. */
    private static Answers shifted(Random random) {
        return () -> row(random.nextDouble() < 0.7 ? 8 : random.nextInt(CLASSES), 0.3 + 0.4 * random.nextDouble());
    }

    private static float[] row(int predicted, double confidence) {
        float[] p = new float[CLASSES];
        java.util.Arrays.fill(p, (float) ((1 - confidence) / (CLASSES - 1)));
        p[predicted] = (float) confidence;
        return p;
    }

    private static final int FEATURES = 64;

    /**
     * An embedding: every dimension standard normal plus {@code shift}, with a factor shared by all
     * (dimensions of a real embedding are not independent).
     */
    private static float[] embedding(Random random, double shift) {
        double shared = random.nextGaussian();
        float[] e = new float[FEATURES];
        for (int k = 0; k < FEATURES; k++) {
            e[k] = (float) (0.3 * shared + Math.sqrt(1 - 0.09) * random.nextGaussian() + shift);
        }
        return e;
    }

    private static float[][] embeddings(Random random, int n, double shift) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = embedding(random, shift);
        }
        return out;
    }

    private static DriftReference withoutEmbedding(DriftReference r) {
        return new DriftReference(r.data(), r.samples(), r.confidenceCuts(), r.confidence(), r.classes(), null);
    }

    private static float[][] rows(Answers answers, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = answers.next();
        }
        return out;
    }

    private static int argMax(float[] row) {
        return io.argus.common.model.ConfusionMatrix.argMax(row);
    }
}
