package io.argus.trainer.rollback;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.argus.learning.gate.Intervals;
import io.argus.trainer.registry.LiveAccuracy;

/**
 * Whether a newly promoted version is worse than the champion it replaced, from live accuracy
 * (labels joined to the results each served): worse with confidence, not noise.
 *
 * <p>Judged on the whole version and on every sensor both versions have at least
 * {@code minLabels} labels of: a version may break one camera and still look fine on average.
 * The difference of the two accuracies (new minus previous) gets an interval by Newcombe's hybrid
 * score method from the two Wilson intervals at {@code z}; the version is worse with confidence
 * when the upper end is below {@code -margin}. The two versions' labels are of different images
 * (each judged what it served), so the test is of two independent proportions, not paired.
 *
 * <p>The decision is taken again as labels arrive and on several slices, so the chance of a false
 * rollback is higher than one test's level: that is why the default is a 99.9% interval (z 3.29)
 * and a margin of 5 points; the noise test in {@code RollbackDecisionTest} measures what it gives.
 */
public final class RollbackDecision {

    /**
     * @param minLabels a slice is judged once both versions have this many labels in it
     * @param margin    how much worse (0..1) the upper end of the interval must show
     * @param z         the interval's z (3.29: 99.9%)
     */
    public record Settings(int minLabels, double margin, double z) {
    }

    /** The outcome: roll back or not, and why in words. */
    public record Verdict(boolean rollBack, String reason) {
    }

    private final Settings settings;

    public RollbackDecision(Settings settings) {
        this.settings = settings;
    }

    public Verdict judge(LiveAccuracy promoted, LiveAccuracy previous) {
        if (promoted == null || previous == null || promoted.n() < settings.minLabels()
                || previous.n() < settings.minLabels()) {
            return new Verdict(false, "too few labels to judge: v" + version(promoted) + " " + n(promoted) + ", v"
                    + version(previous) + " " + n(previous) + " (each needs " + settings.minLabels() + ")");
        }
        List<String> judged = new ArrayList<>();
        String worse = worse("all sensors", promoted.correct(), promoted.n(), previous.correct(), previous.n(),
                promoted.version(), previous.version(), judged);
        if (worse != null) {
            return new Verdict(true, worse);
        }
        Map<String, LiveAccuracy.Sensor> before = previous.sensors().stream()
                .collect(Collectors.toMap(LiveAccuracy.Sensor::sensorId, Function.identity()));
        for (LiveAccuracy.Sensor now : promoted.sensors()) {
            LiveAccuracy.Sensor then = before.get(now.sensorId());
            if (then == null || now.n() < settings.minLabels() || then.n() < settings.minLabels()) {
                continue;
            }
            worse = worse("sensor " + now.sensorId(), now.correct(), now.n(), then.correct(), then.n(),
                    promoted.version(), previous.version(), judged);
            if (worse != null) {
                return new Verdict(true, worse);
            }
        }
        return new Verdict(false, "not worse with confidence on " + String.join("; ", judged));
    }

    private String worse(String slice, int correctNew, int nNew, int correctOld, int nOld, int versionNew,
                         int versionOld, List<String> judged) {
        double[] ci = Intervals.difference(correctNew, nNew, correctOld, nOld, settings.z());
        String figures = String.format(Locale.ROOT, "%s: v%d %.1f%% (n=%d), v%d %.1f%% (n=%d), difference %+.1f points, "
                        + "interval [%+.1f, %+.1f]", slice, versionNew, 100.0 * correctNew / nNew, nNew, versionOld,
                100.0 * correctOld / nOld, nOld, 100.0 * ((double) correctNew / nNew - (double) correctOld / nOld),
                100 * ci[0], 100 * ci[1]);
        judged.add(figures);
        if (ci[1] < -settings.margin()) {
            return String.format(Locale.ROOT, "live accuracy worse with confidence on %s (%.1f%% interval, margin %.1f "
                    + "points)", figures, confidencePercent(), 100 * settings.margin());
        }
        return null;
    }

    private double confidencePercent() {
        // Two-sided level of z under the normal distribution, for the reason people read.
        return 100 * erf(settings.z() / Math.sqrt(2));
    }

    /** Abramowitz and Stegun 7.1.26: enough for a percentage in a sentence. */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * x);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return y;
    }

    private static String version(LiveAccuracy a) {
        return a == null ? "?" : Integer.toString(a.version());
    }

    private static int n(LiveAccuracy a) {
        return a == null ? 0 : a.n();
    }
}
