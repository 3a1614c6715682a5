package io.argus.trainer.shadow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.argus.learning.gate.Intervals;

/**
 * The decision at the end of a shadow window, from what the candidate answered beside the
 * champion ({@link ShadowJoin.Tally}):
 *
 * <ul>
 *   <li>no image answered in shadow: REJECTED (nothing was shown; inference may not have run it);</li>
 *   <li>on every sensor the run did not target, with at least {@code minImages} images the champion
 *       was confident of, the candidate must say what the champion said on at least
 *       {@code minAgreement} of them: there the run meant to change nothing, and a confident champion
 *       is usually right, so disagreement there is a change nobody asked for. On targeted sensors
 *       disagreement is what the run was for and is allowed;</li>
 *   <li>on the labels people gave for shadowed images, judged for both answers (paired: the same
 *       images, so the labels cannot favour the champion by coming from images it served), the
 *       candidate must not be worse with confidence: over all sensors and on each sensor, the upper
 *       end of the interval of the difference (Newcombe's paired method at {@code z}) below 0
 *       rejects.</li>
 * </ul>
 * Otherwise PROMOTED. Every reason names the sensor and the figures.
 */
public final class ShadowRules {

    /**
     * @param confident    the champion's confidence from which an image counts as one it was sure of
     * @param minAgreement the least agreement (0..1) on those images, on sensors the run did not target
     * @param minImages    such images a sensor needs before the agreement rule applies
     * @param z            of the interval of the paired difference on labels
     */
    public record Settings(double confident, double minAgreement, int minImages, double z) {
    }

    /** The outcome, and why in words. */
    public record Verdict(boolean promote, String reason) {
    }

    /**
     * When a window ends: after {@code images} distinct images (0: not by count) or {@code minutes}
     * after it began (0: not by time), whichever comes first.
     */
    public record Window(int images, int minutes) {

        public Instant endsAt(Instant start) {
            return minutes > 0 ? start.plus(Duration.ofMinutes(minutes)) : null;
        }

        public boolean complete(Instant start, int seen, Instant now) {
            return images > 0 && seen >= images || minutes > 0 && !now.isBefore(endsAt(start))
                    || images <= 0 && minutes <= 0;
        }

        public String describe() {
            List<String> parts = new ArrayList<>();
            if (images > 0) {
                parts.add(images + " images");
            }
            if (minutes > 0) {
                parts.add(minutes + " minutes");
            }
            return parts.isEmpty() ? "no window" : String.join(" or ", parts);
        }
    }

    private final Settings settings;

    public ShadowRules(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public Verdict judge(ShadowJoin.Tally tally, Set<String> targeted) {
        if (tally.all().images() == 0) {
            return new Verdict(false, "no image was answered in shadow during the window (is inference running "
                    + "v" + tally.version() + " beside the champion?)");
        }
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, ShadowJoin.Counts> e : tally.sensors().entrySet()) {
            ShadowJoin.Counts c = e.getValue();
            if (targeted.contains(e.getKey()) || c.confident() < settings.minImages()) {
                continue;
            }
            double agreement = (double) c.confidentAgreed() / c.confident();
            String figures = String.format(Locale.ROOT, "sensor %s: %.1f%% of %d images the champion was confident "
                    + "of (confidence >= %.2f)", e.getKey(), 100 * agreement, c.confident(), settings.confident());
            if (agreement < settings.minAgreement()) {
                return new Verdict(false, String.format(Locale.ROOT, "disagrees with the champion where the run "
                        + "meant to change nothing: on %s the candidate said what the champion said; at least "
                        + "%.1f%% needed", figures, 100 * settings.minAgreement()));
            }
            checked.add(figures);
        }
        String worse = worse("all sensors", tally.all());
        for (Map.Entry<String, ShadowJoin.Counts> e : tally.sensors().entrySet()) {
            if (worse == null) {
                worse = worse("sensor " + e.getKey(), e.getValue());
            }
        }
        if (worse != null) {
            return new Verdict(false, "worse than the champion on the labels given for the images both answered, "
                    + worse);
        }
        ShadowJoin.Counts all = tally.all();
        String labels = all.labeled() == 0 ? "no labels given for them"
                : "labels: " + figures("all sensors", all);
        return new Verdict(true, String.format(Locale.ROOT, "shadow beside the champion: %d images, %.1f%% agreement; "
                        + "%s; %s", all.images(), 100.0 * all.agreed() / all.images(),
                checked.isEmpty() ? "no sensor outside the run's targets had " + settings.minImages()
                        + " confident images to judge" : "agreement where the champion was confident on "
                        + String.join(", ", checked), labels));
    }

    /** The paired interval of a slice's labels; a sentence when the candidate is worse with confidence. */
    private String worse(String slice, ShadowJoin.Counts c) {
        if (c.labeled() == 0) {
            return null;
        }
        double[] ci = interval(c);
        return ci[1] < 0 ? figures(slice, c) : null;
    }

    private String figures(String slice, ShadowJoin.Counts c) {
        double[] ci = interval(c);
        return String.format(Locale.ROOT, "%s: candidate %.1f%%, champion %.1f%% on the same %d images, "
                        + "difference %+.1f points, interval [%+.1f, %+.1f]", slice, 100.0 * c.candidateRight() / c.labeled(),
                100.0 * c.championRight() / c.labeled(), c.labeled(),
                100.0 * (c.candidateRight() - c.championRight()) / c.labeled(), 100 * ci[0], 100 * ci[1]);
    }

    /** The interval of candidate minus champion accuracy on a slice's labeled images. */
    public double[] interval(ShadowJoin.Counts c) {
        return Intervals.pairedDifference(c.bothRight(), c.onlyCandidate(), c.onlyChampion(), c.neitherRight(),
                settings.z());
    }
}
