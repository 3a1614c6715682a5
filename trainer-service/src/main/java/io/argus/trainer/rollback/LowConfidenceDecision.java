package io.argus.trainer.rollback;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.argus.learning.gate.Intervals;
import io.argus.trainer.live.LowConfidenceRates;

/**
 * Whether a newly promoted version has become unsure on a sensor where the champion it replaced was
 * sure: its share of results under the confidence line is higher, with confidence, by more than a
 * margin. Judged per sensor (one broken camera path is enough), on sensors both versions served at
 * least {@code minResults} images of; no labels needed.
 *
 * <p>The margin is wide on purpose: a retrained, recalibrated version may well be less sure than an
 * overconfident predecessor and still be better, and live accuracy judges that. This signal is for
 * a version whose answers went flat, which labels would show only much later. The interval is
 * Newcombe's, as for accuracy ({@link RollbackDecision}), with the same strict z.
 */
public final class LowConfidenceDecision {

    /**
     * @param minResults results each version needs on a sensor before it is judged
     * @param margin     how much higher (0..1) the new version's share must be at the lower end of the interval
     * @param z          the interval's z
     */
    public record Settings(int minResults, double margin, double z) {
    }

    private final Settings settings;

    public LowConfidenceDecision(Settings settings) {
        this.settings = settings;
    }

    /** The reason to roll back, or empty when no sensor shows the promoted version unsure with confidence. */
    public Optional<String> judge(int promoted, List<LowConfidenceRates.Rate> now, int previous,
                                  LowConfidenceRates rates) {
        for (LowConfidenceRates.Rate after : now) {
            Optional<LowConfidenceRates.Rate> before = rates.of(previous, after.sensorId());
            if (before.isEmpty() || after.n() < settings.minResults() || before.get().n() < settings.minResults()) {
                continue;
            }
            LowConfidenceRates.Rate then = before.get();
            double[] ci = Intervals.difference(after.low(), after.n(), then.low(), then.n(), settings.z());
            if (ci[0] > settings.margin()) {
                return Optional.of(String.format(Locale.ROOT, "unsure with confidence on sensor %s: v%d %.1f%% of "
                                + "results under the confidence line (n=%d), v%d %.1f%% (n=%d), difference %+.1f points, "
                                + "interval [%+.1f, %+.1f], margin %.1f points", after.sensorId(), promoted,
                        100 * after.share(), after.n(), previous, 100 * then.share(), then.n(),
                        100 * (after.share() - then.share()), 100 * ci[0], 100 * ci[1], 100 * settings.margin()));
            }
        }
        return Optional.empty();
    }
}
