package io.argus.trainer.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.ShadowResult;

/** The decision at the end of a shadow window, and when the window ends. */
class ShadowRulesTest {

    private static final ShadowRules RULES = new ShadowRules(new ShadowRules.Settings(0.8, 0.95, 50, 1.96));
    private static final Instant START = Instant.parse("2026-11-30T01:00:00Z");

    private final ShadowJoin join = new ShadowJoin(10_000);
    private long offset;

    @Test
    void aCandidateThatSaysWhatAConfidentChampionSaidOnTheOtherSensorsIsPromoted() {
        shadow("cam-a", 100, "Bag", 0.95, 97, "Coat");
        shadow("cam-new", 60, "Bag", 0.95, 0, "Sandal");

        ShadowRules.Verdict v = RULES.judge(join.tally(2, 0.8), Set.of("cam-new"));

        assertThat(v.promote()).as(v.reason()).isTrue();
        assertThat(v.reason()).contains("sensor cam-a: 97.0% of 100 images");
    }

    @Test
    void disagreementWhereTheChampionWasConfidentOnASensorTheRunDidNotTargetRejectsAndNamesTheSensor() {
        shadow("cam-a", 100, "Bag", 0.95, 100, "Coat");
        shadow("cam-b", 60, "Bag", 0.95, 54, "Coat");

        ShadowRules.Verdict v = RULES.judge(join.tally(2, 0.8), Set.of());

        assertThat(v.promote()).isFalse();
        assertThat(v.reason()).contains("on sensor cam-b: 90.0% of 60 images the champion was confident of "
                + "(confidence >= 0.80)").contains("at least 95.0% needed");
    }

    @Test
    void onATargetedSensorDisagreementIsWhatTheRunWasFor() {
        shadow("cam-b", 60, "Bag", 0.95, 0, "Coat");

        assertThat(RULES.judge(join.tally(2, 0.8), Set.of("cam-b")).promote()).isTrue();
    }

    @Test
    void onlyImagesTheChampionWasConfidentOfAreJudgedAndOnlyFromMinImages() {
        shadow("cam-b", 200, "Bag", 0.5, 0, "Coat"); // the champion was unsure: not judged
        shadow("cam-c", 49, "Bag", 0.95, 0, "Coat"); // too few to judge

        ShadowRules.Verdict v = RULES.judge(join.tally(2, 0.8), Set.of());

        assertThat(v.promote()).as(v.reason()).isTrue();
        assertThat(v.reason()).contains("no sensor outside the run's targets had 50 confident images");
    }

    @Test
    void noImageInTheWindowIsNoEvidenceAndRejects() {
        assertThat(RULES.judge(join.tally(2, 0.8), Set.of()).promote()).isFalse();
    }

    @Test
    void labelsJudgeBothAnswersOnTheSameImagesAndACandidateWorseWithConfidenceIsRejected() {
        // 100 labeled images of a targeted sensor: both right on 80, only the champion on 8, only the candidate on 1.
        // Counted apart (81 of 100 against 88 of 100) the interval would straddle 0; paired, it does not.
        for (int i = 0; i < 100; i++) {
            String truth = "T" + i;
            String champion = i < 88 ? truth : "x";
            String candidate = i < 80 || i == 88 ? truth : "y";
            label(shadowOne("cam-new", champion, 0.5, candidate), truth);
        }

        ShadowJoin.Tally tally = join.tally(2, 0.8);
        ShadowRules.Verdict v = RULES.judge(tally, Set.of("cam-new"));

        assertThat(tally.all().labeled()).isEqualTo(100);
        assertThat(tally.all().candidateRight()).isEqualTo(81);
        assertThat(tally.all().championRight()).isEqualTo(88);
        assertThat(v.promote()).as(v.reason()).isFalse();
        assertThat(v.reason()).contains("all sensors: candidate 81.0%, champion 88.0% on the same 100 images");
    }

    @Test
    void aCandidateBetterOnTheLabelsOfItsSensorIsNotHeldBackByThem() {
        for (int i = 0; i < 30; i++) {
            label(shadowOne("cam-new", "Bag", 0.9, "Sandal"), i < 25 ? "Sandal" : "Bag");
        }

        ShadowRules.Verdict v = RULES.judge(join.tally(2, 0.8), Set.of("cam-new"));

        assertThat(v.promote()).as(v.reason()).isTrue();
        assertThat(v.reason()).contains("candidate 83.3%, champion 16.7% on the same 30 images");
    }

    @Test
    void theWindowEndsAfterItsImagesOrItsTimeWhicheverComesFirst() {
        ShadowRules.Window both = new ShadowRules.Window(500, 30);

        assertThat(both.complete(START, 499, START.plusSeconds(60))).isFalse();
        assertThat(both.complete(START, 500, START.plusSeconds(60))).isTrue();
        assertThat(both.complete(START, 3, START.plusSeconds(30 * 60))).isTrue();
        assertThat(new ShadowRules.Window(500, 0).complete(START, 3, START.plusSeconds(86_400))).isFalse();
        assertThat(new ShadowRules.Window(0, 30).complete(START, 10_000, START.plusSeconds(60))).isFalse();
        assertThat(both.describe()).isEqualTo("500 images or 30 minutes");
    }

    @Test
    void aResultWrittenTwiceCountsOnceAndALabelJoinsWhicheverComesFirst() {
        label(new ShadowJoin.RawKey("raw", 0, 1000), "Bag", "early"); // read before its shadow result
        ShadowResult r = result("cam-a", "Bag", 0.9, "Coat", 1000);
        assertThat(join.shadowed(r)).isTrue();
        assertThat(join.shadowed(r)).as("the same raw record again").isFalse();
        ShadowJoin.RawKey late = shadowOne("cam-a", "Bag", 0.9, "Coat");
        label(late, "Coat", "late");

        ShadowJoin.Counts c = join.tally(2, 0.8).all();
        assertThat(c.images()).isEqualTo(2);
        assertThat(c.labeled()).isEqualTo(2);
        assertThat(c.championRight()).isEqualTo(1);
        assertThat(c.candidateRight()).isEqualTo(1);

        join.labeled("late", late, "Bag"); // corrected
        join.removed("early");
        c = join.tally(2, 0.8).all();
        assertThat(c.labeled()).isEqualTo(1);
        assertThat(c.championRight()).isEqualTo(1);
        assertThat(c.candidateRight()).isZero();
    }

    @Test
    void howOftenTheRulesRejectAnEquallyGoodCandidateAndCatchADamagedOne() {
        // Labels during the window, three sensors the run targeted, each image: both right 75%, only the
        // champion 5%, only the candidate 5%, neither 15% (equally good); damaged: on one sensor only the
        // candidate 2%, only the champion 15% (13 points worse there).
        SplittableRandom random = new SplittableRandom(3);
        for (int perSensor : new int[] {20, 60}) {
            double equal = rejected(random, 2000, perSensor, false);
            double damaged = rejected(random, 1000, perSensor, true);
            System.out.printf(Locale.ROOT, "labels, %d per sensor: equally good rejected %.1f%%, damaged rejected "
                    + "%.1f%%%n", perSensor, 100 * equal, 100 * damaged);
            assertThat(equal).isLessThan(0.10);
            assertThat(damaged).isGreaterThan(perSensor == 60 ? 0.5 : 0.1);
        }
        // The agreement rule on an untargeted sensor, where the candidate truly agrees p of the time.
        for (double p : new double[] {1.0, 0.98, 0.97, 0.90}) {
            for (int n : new int[] {50, 200}) {
                int rejected = 0;
                for (int w = 0; w < 2000; w++) {
                    ShadowJoin window = new ShadowJoin(1000);
                    for (int i = 0; i < n; i++) {
                        window.shadowed(result("cam-a", "Bag", 0.9, random.nextDouble() < p ? "Bag" : "Coat", i));
                    }
                    rejected += RULES.judge(window.tally(2, 0.8), Set.of()).promote() ? 0 : 1;
                }
                System.out.printf(Locale.ROOT, "agreement %.0f%%, %d confident images: rejected %.1f%%%n", 100 * p, n,
                        100.0 * rejected / 2000);
                if (p == 1.0) {
                    assertThat(rejected).as("a calibration leaves other sensors exactly as they were").isZero();
                }
                if (p == 0.90) {
                    assertThat(rejected / 2000.0).isGreaterThan(0.8);
                }
            }
        }
    }

    private static double rejected(SplittableRandom random, int windows, int perSensor, boolean damaged) {
        int rejected = 0;
        for (int w = 0; w < windows; w++) {
            ShadowJoin window = new ShadowJoin(1000);
            long offset = 0;
            for (int s = 0; s < 3; s++) {
                boolean worse = damaged && s == 0;
                for (int k = 0; k < perSensor; k++) {
                    double u = random.nextDouble();
                    boolean champion = worse ? u < 0.70 || u >= 0.72 && u < 0.85 : u < 0.75 || u >= 0.80 && u < 0.85;
                    boolean candidate = worse ? u < 0.72 : u < 0.80;
                    long at = offset++;
                    window.shadowed(result("cam-" + s, champion ? "T" : "x", 0.5, candidate ? "T" : "y", at));
                    window.labeled("s" + at, new ShadowJoin.RawKey("raw", 0, at), "T");
                }
            }
            rejected += RULES.judge(window.tally(2, 0.8), Set.of("cam-0", "cam-1", "cam-2")).promote() ? 0 : 1;
        }
        return (double) rejected / windows;
    }

    /** {@code n} images of a sensor: the champion says {@code said}, the candidate agrees on {@code agree} of them. */
    private void shadow(String sensor, int n, String said, double confidence, int agree, String otherwise) {
        for (int i = 0; i < n; i++) {
            shadowOne(sensor, said, confidence, i < agree ? said : otherwise);
        }
    }

    private ShadowJoin.RawKey shadowOne(String sensor, String champion, double confidence, String candidate) {
        long at = offset++;
        join.shadowed(result(sensor, champion, confidence, candidate, at));
        return new ShadowJoin.RawKey("raw", 0, at);
    }

    private void label(ShadowJoin.RawKey key, String label) {
        label(key, label, "s-" + key.offset());
    }

    private void label(ShadowJoin.RawKey key, String label, String sampleId) {
        join.labeled(sampleId, key, label);
    }

    private static ShadowResult result(String sensor, String champion, double confidence, String candidate,
                                       long offset) {
        return new ShadowResult(1, "img-" + offset, sensor, START, "argus",
                new ShadowResult.Answer(1, champion, confidence), new ShadowResult.Answer(2, candidate, 0.6),
                new Classification.Source("raw", 0, offset), START);
    }
}
