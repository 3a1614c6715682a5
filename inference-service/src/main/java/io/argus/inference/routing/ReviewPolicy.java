package io.argus.inference.routing;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.argus.common.contract.Classification;
import io.argus.inference.InferenceConfig;
import io.argus.inference.drift.DriftMonitor;

/**
 * Decides which results people should look at (see {@link InferenceConfig.Review}): images unlike
 * the model's training data (out-of-distribution score over the model's threshold), those under
 * the confidence threshold, those whose two best labels are nearly tied, and a random share of
 * the rest, within a per-minute cap overall and per predicted label. Caps count in fixed minute
 * windows per replica. A sensor flagged as drifted ({@link DriftMonitor}) has a larger share of its
 * confident results sampled ({@code argus.inference.drift.review-rate}, reason {@code sensor_drifted}),
 * within the same caps, and every review reason of its results says that it drifted.
 */
@ApplicationScoped
public class ReviewPolicy {

    /**
     * Why a result needs review: a code for metrics and a message for people; {@code routed}
     * false when it wanted review but its cap for this minute was used up.
     */
    public record Review(String code, String message, boolean routed) {

        Review(String code, String message) {
            this(code, message, true);
        }

        Review capped() {
            return new Review(code, message, false);
        }
    }

    /** Policy settings; see {@link InferenceConfig.Review}. */
    public record Settings(double threshold, double margin, double randomRate, int maxPerMinute,
                           int maxPerClassPerMinute) {
    }

    private final Settings settings;
    private final Function<String, Optional<DriftMonitor.Drifted>> drift;
    private final Clock clock;
    private final Random random;
    private long window = -1;
    private int inWindow;
    private final Map<String, Integer> perClass = new HashMap<>();
    private long capped;

    @Inject
    public ReviewPolicy(InferenceConfig config, DriftMonitor drift) {
        this(new Settings(config.review().threshold(), config.review().margin(), config.review().randomRate(),
                config.review().maxPerMinute(), config.review().maxPerClassPerMinute()), Clock.systemUTC(),
                new Random(), drift::drifted);
    }

    public ReviewPolicy(Settings settings, Clock clock, Random random) {
        this(settings, clock, random, sensor -> Optional.empty());
    }

    /** @param drift a sensor's drift while it is flagged */
    public ReviewPolicy(Settings settings, Clock clock, Random random,
                        Function<String, Optional<DriftMonitor.Drifted>> drift) {
        this.settings = settings;
        this.drift = drift;
        this.clock = clock;
        this.random = random;
    }

    /** Why {@code c} needs review (not routed when its cap for this minute is used up), or empty. */
    public synchronized Optional<Review> reason(Classification c) {
        Optional<Review> wanted = wanted(c);
        if (wanted.isEmpty()) {
            return wanted;
        }
        long minute = clock.millis() / 60_000;
        if (minute != window) {
            window = minute;
            inWindow = 0;
            perClass.clear();
        }
        int ofClass = perClass.getOrDefault(c.label(), 0);
        if (settings.maxPerMinute() > 0 && inWindow >= settings.maxPerMinute()
                || settings.maxPerClassPerMinute() > 0 && ofClass >= settings.maxPerClassPerMinute()) {
            capped++;
            return Optional.of(wanted.get().capped());
        }
        inWindow++;
        perClass.put(c.label(), ofClass + 1);
        return wanted;
    }

    /** Results the caps kept out of review since start. */
    public synchronized long capped() {
        return capped;
    }

    /** The review reason of an image whose out-of-distribution score is over the model's threshold. */
    public static final String UNLIKE_TRAINING_DATA = "unlike_training_data";

    private Optional<Review> wanted(Classification c) {
        Optional<DriftMonitor.Drifted> drifted = drift.apply(c.sensorId());
        String because = drifted.map(d -> String.format(Locale.ROOT, "; sensor %s drifted (drift score %.2f over its "
                + "last %d images)", d.sensorId(), d.score(), d.window())).orElse("");
        // First: a confident answer about an image unlike anything the model was trained on is the
        // case the confidence checks miss (photos of dogs came out 'Bag' at 99%).
        if (c.ood() != null && c.ood().over()) {
            return Optional.of(new Review(UNLIKE_TRAINING_DATA, String.format(Locale.ROOT,
                    "unlike the training data: out-of-distribution score %.2f is over the model's threshold %.2f",
                    c.ood().score(), c.ood().threshold()) + because));
        }
        if (c.confidence() < settings.threshold()) {
            return Optional.of(new Review("low_confidence", String.format(Locale.ROOT,
                    "confidence %.3f is under the review threshold %.3f", c.confidence(), settings.threshold())
                    + because));
        }
        if (settings.margin() > 0 && c.topK() != null && c.topK().size() > 1) {
            double gap = c.topK().get(0).confidence() - c.topK().get(1).confidence();
            if (gap < settings.margin()) {
                return Optional.of(new Review("small_margin", String.format(Locale.ROOT,
                        "'%s' leads '%s' by only %.3f (review margin %.3f)", c.topK().get(0).label(),
                        c.topK().get(1).label(), gap, settings.margin()) + because));
            }
        }
        if (drifted.isPresent() && drifted.get().reviewRate() > settings.randomRate()) {
            DriftMonitor.Drifted d = drifted.get();
            if (random.nextDouble() < d.reviewRate()) {
                return Optional.of(new Review("sensor_drifted", String.format(Locale.ROOT,
                        "sensor %s drifted (drift score %.2f over its last %d images): %.0f%% of its confident "
                                + "results are sampled for review", d.sensorId(), d.score(), d.window(),
                        d.reviewRate() * 100)));
            }
            return Optional.empty();
        }
        if (settings.randomRate() > 0 && random.nextDouble() < settings.randomRate()) {
            return Optional.of(new Review("random_sample", String.format(Locale.ROOT,
                    "a random sample of confident results (%.1f%%), so reviewed images are not only hard ones",
                    settings.randomRate() * 100)));
        }
        return Optional.empty();
    }
}
