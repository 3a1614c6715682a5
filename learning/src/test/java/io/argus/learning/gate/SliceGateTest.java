package io.argus.learning.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import io.argus.common.model.GateReport;

/**
 * The gate's rule on predictions made up for each case, so that each case is exactly what it says:
 * a gate that always promotes, always rejects or always answers "too little evidence" fails here.
 */
class SliceGateTest {

    private static final List<String> CLASSES = List.of("a", "b", "c", "d", "e");
    private static final GateReport.EvaluationSet SET = new GateReport.EvaluationSet("test", 1000, 100);

    private final SliceGate gate = new SliceGate(SliceGate.Settings.DEFAULTS);

    @Test
    void aCandidateThatLearnsTheNewSensorAndChangesNothingElseIsPromoted() {
        GateReport r = decideForNewCam(reference(1000, 0.85, 0.0, 1), sensor("new-cam", 12, 0.1, 0.8, 2),
                sensor("cam-1", 40, 0.85, 0.85, 3));

        assertThat(r.decision()).as(r.reason()).isEqualTo("PROMOTED");
        assertThat(r.reason()).contains("sensor:new-cam");
        GateReport.Slice reference = slice(r, "reference");
        assertThat(reference.lower()).isEqualTo(0.0);
        assertThat(reference.upper()).isEqualTo(0.0);
        assertThat(slice(r, "sensor:new-cam").verdict()).isEqualTo("improved");
        assertThat(slice(r, "sensor:new-cam").targeted()).isTrue();
    }

    @Test
    void aCandidateThatLosesFivePointsOnTheReferenceIsRejectedNamingIt() {
        GateReport r = decideForNewCam(reference(1000, 0.85, 0.05, 4), sensor("new-cam", 12, 0.1, 0.9, 5));

        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).startsWith("worse than the champion").contains("reference");
        assertThat(slice(r, "reference").verdict()).isEqualTo("regressed");
    }

    @Test
    void onASmallSliceOneChangedAnswerIsNoEvidenceOfALossButFiveAre() {
        // A slice of 100 reference images, all else equal: the candidate loses 1, then 5 of them.
        for (int lost : new int[] {1, 5}) {
            List<SliceGate.Scored> samples = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String truth = "a";
                samples.add(new SliceGate.Scored("a-" + i, true, null, truth, truth, i < lost ? "b" : truth));
            }
            samples.addAll(sensor("new-cam", 12, 0.1, 0.9, 20));

            GateReport r = decideForNewCam(samples);

            assertThat(slice(r, "reference").verdict()).as("%d lost", lost).isEqualTo(lost == 1 ? "no change" : "regressed");
            assertThat(r.decision()).as("%d lost", lost).isEqualTo(lost == 1 ? "PROMOTED" : "REJECTED");
        }
    }

    @Test
    void theNewSensorsGainsOnAClassDoNotHideALossOnThatClassElsewhere() {
        // 1000 reference images, 200 per class; the candidate loses 10 of class a's (5 points). The
        // new camera sees class a only, and the candidate gets its 30 held-out images right.
        List<SliceGate.Scored> samples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String truth = CLASSES.get(i % CLASSES.size());
            boolean lost = truth.equals("a") && i < 50;
            samples.add(new SliceGate.Scored("ref-" + i, true, null, truth, truth, lost ? other(truth) : truth));
        }
        for (int i = 0; i < 30; i++) {
            samples.add(new SliceGate.Scored("new-" + i, false, "new-cam", "a", "b", "a"));
        }

        GateReport r = decideForNewCam(samples);

        assertThat(slice(r, "sensor:new-cam").verdict()).isEqualTo("improved");
        assertThat(slice(r, "reference").verdict()).isEqualTo("no change");
        assertThat(slice(r, "class:a").n()).isEqualTo(200);
        assertThat(slice(r, "class:a").verdict()).isEqualTo("regressed");
        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).contains("class:a");
    }

    @Test
    void aCandidateBetterOnOneSensorAndWorseOnAnotherIsRejectedNamingThatSensor() {
        GateReport r = decideForNewCam(reference(1000, 0.85, 0.0, 6), sensor("new-cam", 12, 0.1, 0.9, 7),
                sensorLosing("old-cam", 60, 0.9, 0.2, 8));

        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).contains("sensor:old-cam").doesNotContain("sensor:new-cam");
    }

    @Test
    void aCandidateWithinNoiseOfTheChampionIsNotPromoted() {
        // The new sensor: as many images the candidate gets newly right as newly wrong.
        GateReport r = decideForNewCam(reference(1000, 0.85, 0.0, 9), swapped("new-cam", 12, 3, 10));

        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).startsWith("no improvement shown").contains("sensor new-cam");
    }

    @Test
    void tooFewHeldOutLabelsIsARejectionThatSaysHowManyMoreLabels() {
        GateReport r = decideForNewCam(reference(1000, 0.85, 0.0, 11), sensor("new-cam", 3, 0.0, 1.0, 12));

        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).contains("too little evidence", "sensor new-cam has 3 held-out labels",
                "about 10 more labels");
    }

    @Test
    void noNewLabelsMeansNothingToImproveAndNoPromotion() {
        GateReport r = gate.decide(reference(1000, 0.85, 0.0, 13), new SliceGate.Targets(Set.of(), Set.of()), true,
                SET);

        assertThat(r.decision()).isEqualTo("REJECTED");
        assertThat(r.reason()).contains("nothing the candidate must improve");
    }

    @Test
    void aNewClassIsJudgedOnItsOwnAndTheOldClassesAgainstTheChampion() {
        List<SliceGate.Scored> learned = new ArrayList<>(reference(1000, 0.85, 0.0, 14));
        learned.addAll(newClass("f", 20, 0.9, 15));
        List<SliceGate.Scored> notLearned = new ArrayList<>(reference(1000, 0.85, 0.0, 14));
        notLearned.addAll(newClass("f", 20, 0.3, 16));
        SliceGate.Targets targets = new SliceGate.Targets(Set.of(), Set.of("f"));

        GateReport yes = gate.decide(learned, targets, true, SET);
        GateReport no = gate.decide(notLearned, targets, true, SET);

        assertThat(yes.decision()).as(yes.reason()).isEqualTo("PROMOTED");
        assertThat(slice(yes, "new-class:f").verdict()).isEqualTo("learned");
        assertThat(slice(yes, "class:a").verdict()).isEqualTo("no change");
        assertThat(no.decision()).isEqualTo("REJECTED");
        assertThat(no.reason()).contains("new-class:f");
    }

    @Test
    void theFirstModelHasNothingToBeat() {
        GateReport r = gate.decide(reference(200, 0.85, 0.0, 17).stream()
                        .map(s -> new SliceGate.Scored(s.id(), true, null, s.truth(), null, s.candidate())).toList(),
                new SliceGate.Targets(Set.of(), Set.of()), false, SET);

        assertThat(r.decision()).isEqualTo("PROMOTED");
        assertThat(r.reason()).contains("no champion to beat");
    }

    /** The gate's decision on all of {@code parts} together, for a candidate trained on new labels of new-cam. */
    @SafeVarargs
    private GateReport decideForNewCam(List<SliceGate.Scored>... parts) {
        List<SliceGate.Scored> samples = new ArrayList<>();
        for (List<SliceGate.Scored> part : parts) {
            samples.addAll(part);
        }
        return gate.decide(samples, new SliceGate.Targets(Set.of("new-cam"), Set.of()), true, SET);
    }

    private static GateReport.Slice slice(GateReport r, String name) {
        return r.slices().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Reference samples the champion gets right with probability {@code accuracy}; the candidate
     * agrees with the champion except on {@code loss} of the samples the champion got right.
     */
    private static List<SliceGate.Scored> reference(int n, double accuracy, double loss, long seed) {
        Random r = new Random(seed);
        List<SliceGate.Scored> out = new ArrayList<>();
        int toLose = (int) Math.round(loss * n);
        for (int i = 0; i < n; i++) {
            String truth = CLASSES.get(i % CLASSES.size());
            String champion = r.nextDouble() < accuracy ? truth : other(truth);
            String candidate = champion;
            if (toLose > 0 && champion.equals(truth)) {
                candidate = other(truth);
                toLose--;
            }
            out.add(new SliceGate.Scored("ref-" + i, true, null, truth, champion, candidate));
        }
        return out;
    }

    /** Held-out labels of a sensor: the champion is right on a share {@code before}, the candidate on {@code after}. */
    private static List<SliceGate.Scored> sensor(String sensor, int n, double before, double after, long seed) {
        int championRight = (int) Math.round(before * n);
        int candidateRight = (int) Math.round(after * n);
        return heldOut(sensor, n, i -> i < championRight, i -> i < candidateRight);
    }

    /** A sensor where the candidate is wrong on a share {@code lost} of what the champion got right. */
    private static List<SliceGate.Scored> sensorLosing(String sensor, int n, double accuracy, double lost, long seed) {
        int right = (int) Math.round(accuracy * n);
        int losing = (int) Math.round(lost * right);
        return heldOut(sensor, n, i -> i < right, i -> i >= losing && i < right);
    }

    /** A sensor where the candidate gains {@code swaps} images and loses as many. */
    private static List<SliceGate.Scored> swapped(String sensor, int n, int swaps, long seed) {
        // The champion is right on the first half; the candidate is wrong on the first swaps of it and
        // right on as many of the second half.
        return heldOut(sensor, n, i -> i < n / 2, i -> i >= swaps && i < n / 2 + swaps);
    }

    /** {@code n} held-out labels of a sensor, a class each in turn, and whether each model gets the i-th right. */
    private static List<SliceGate.Scored> heldOut(String sensor, int n, IntPredicate championRight,
                                                  IntPredicate candidateRight) {
        List<SliceGate.Scored> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String truth = CLASSES.get(i % CLASSES.size());
            out.add(new SliceGate.Scored(sensor + "-" + i, false, sensor, truth,
                    championRight.test(i) ? truth : other(truth), candidateRight.test(i) ? truth : other(truth)));
        }
        return out;
    }

    private static List<SliceGate.Scored> newClass(String label, int n, double accuracy, long seed) {
        List<SliceGate.Scored> out = new ArrayList<>();
        int right = (int) Math.round(accuracy * n);
        for (int i = 0; i < n; i++) {
            out.add(new SliceGate.Scored(label + "-" + i, false, "cam-x", label, "a", i < right ? label : "a"));
        }
        return out;
    }

    private static String other(String truth) {
        return CLASSES.get((CLASSES.indexOf(truth) + 1) % CLASSES.size());
    }
}
