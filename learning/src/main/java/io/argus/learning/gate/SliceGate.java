package io.argus.learning.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.argus.common.model.GateReport;
import java.util.Arrays;

/**
 * Decides whether a candidate replaces the champion, judging both on the same samples slice by
 * slice: the base's reference data, each sensor's held-out labels, each class; a class the
 * champion does not know is judged on the candidate's accuracy alone.
 *
 * <p>Per slice, the difference of accuracy (candidate minus champion) is estimated with a 95%
 * interval by a paired bootstrap: the slice's samples are drawn with replacement and both models
 * are scored on each draw together. Paired, because the two models see the same images, which
 * removes the images' own difficulty from the noise. Bootstrap rather than McNemar's test because
 * it gives an interval of the difference itself, which is what the tolerance is about, with the
 * same code for a slice of 8 images and one of 10,000; when the two models agree on every image of
 * a slice (a sensor calibration the candidate leaves alone) the interval is exactly [0, 0].
 *
 * <p>The rule: a candidate is promoted only if
 * <ul>
 *   <li>no slice of at least {@code minNonInferioritySamples} loses more than {@code tolerance} at
 *       the lower end of its interval: there the candidate must show it is not worse. A smaller
 *       slice (a class of a hundred reference images) cannot show that unless the two models agree
 *       on every image, so there the candidate is stopped only when it is worse with confidence
 *       (the upper end below 0) and by more than the tolerance; one or two images that change
 *       their answer are not evidence of a loss of two points in a hundred, five are;</li>
 *   <li>every new class with enough held-out samples is learned: the lower end of the candidate's
 *       accuracy on it is at least {@code newClassFloor};</li>
 *   <li>and at least one targeted slice (a sensor with new labels, a new class) shows an
 *       improvement with confidence: for a sensor, the lower end of the difference is above 0. A
 *       sensor whose new labels the champion already gets right need not improve (review sampling
 *       sends labels from every sensor), but must not get worse. Too little evidence is a rejection
 *       that says how many more labels would do.</li>
 * </ul>
 * A tie does not promote: a candidate must show what it learned.
 */
public final class SliceGate {

    public static final String REFERENCE = "reference";
    public static final String SENSOR = "sensor:";
    public static final String CLASS = "class:";
    public static final String NEW_CLASS = "new-class:";

    /**
     * How the gate judges.
     *
     * @param tolerance          the largest loss (0..1) a slice may show at the lower end of its interval
     * @param minSliceSamples    fewer samples than this and a slice is not judged for regression
     * @param minNonInferioritySamples from this many samples on a slice must show it is not worse than the
     *                           tolerance; below, it must not be worse with confidence by more than the tolerance
     * @param minTargetedSamples fewer held-out samples than this and a targeted slice cannot show improvement
     * @param newClassFloor      the lowest accuracy (lower end) a new class must reach
     * @param testFraction       the share of labels held out, to say how many more labels are needed
     * @param resamples          bootstrap draws per slice
     */
    public record Settings(double tolerance, int minSliceSamples, int minNonInferioritySamples,
                           int minTargetedSamples, double newClassFloor, double testFraction, int resamples,
                           long seed) {

        public static final Settings DEFAULTS = new Settings(0.02, 30, 200, 5, 0.5, 0.2, 2000, 7);
    }

    /**
     * One evaluation sample and what both models said.
     *
     * @param reference  a sample of the base's own held-out data (not a label of Argus)
     * @param sensor     the sensor that took it, or null
     * @param champion   the champion's prediction, or null when there is no champion
     */
    public record Scored(String id, boolean reference, String sensor, String truth, String champion,
                         String candidate) {
    }

    /**
     * What the run's new labels were about.
     *
     * @param sensors       sensors with labels new since the champion
     * @param newClasses    classes the candidate knows and the champion does not
     */
    public record Targets(Set<String> sensors, Set<String> newClasses) {
    }

    private final Settings settings;

    public SliceGate(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param hasChampion false for the first model of an installation, which has nothing to beat
     */
    public GateReport decide(List<Scored> samples, Targets targets, boolean hasChampion,
                             GateReport.EvaluationSet evaluationSet) {
        Map<String, List<Scored>> slices = slices(samples, targets);
        List<GateReport.Slice> judged = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(settings.seed());
        for (Map.Entry<String, List<Scored>> e : slices.entrySet()) {
            judged.add(judge(e.getKey(), e.getValue(), targeted(e.getKey(), targets), hasChampion, random));
        }
        String method = String.format(Locale.ROOT, "paired bootstrap, %d resamples, 95%% percentile interval; "
                        + "tolerance %.1f points (not worse shown from %d samples, worse with confidence below); "
                        + "slices judged from %d samples (targeted: %d)", settings.resamples(),
                100 * settings.tolerance(), settings.minNonInferioritySamples(), settings.minSliceSamples(),
                settings.minTargetedSamples());
        return decision(judged, targets, hasChampion, samples.size(), evaluationSet, method);
    }

    private GateReport decision(List<GateReport.Slice> slices, Targets targets, boolean hasChampion, int n,
                                GateReport.EvaluationSet set, String method) {
        if (n == 0) {
            return report("REJECTED", "there are no evaluation samples: no reference data and no held-out labels",
                    slices, set, method);
        }
        List<GateReport.Slice> regressed = slices.stream().filter(s -> s.verdict().equals(REGRESSED)).toList();
        if (!regressed.isEmpty()) {
            return report("REJECTED", "worse than the champion beyond the tolerance of "
                    + points(settings.tolerance()) + " points on " + describe(regressed), slices, set, method);
        }
        List<GateReport.Slice> newClassesFailed = slices.stream().filter(s -> s.verdict().equals(NOT_LEARNED)).toList();
        if (!newClassesFailed.isEmpty()) {
            return report("REJECTED", "new classes not learned well enough (the lower end of the accuracy must reach "
                    + points(settings.newClassFloor()) + "%): " + describe(newClassesFailed), slices, set, method);
        }
        if (!hasChampion) {
            return report("PROMOTED", "no champion to beat; accuracy " + percent(overall(slices)) + " on " + n
                    + " evaluation samples", slices, set, method);
        }
        List<GateReport.Slice> targeted = slices.stream().filter(GateReport.Slice::targeted).toList();
        if (targeted.isEmpty()) {
            return report("REJECTED", "no labels are new since the champion, so there is nothing the candidate must "
                    + "improve; it does not replace the champion", slices, set, method);
        }
        List<GateReport.Slice> shown = targeted.stream().filter(s -> s.lower() != null).toList();
        if (shown.isEmpty()) {
            return report("REJECTED", "too little evidence: " + targeted.stream().map(this::needs)
                    .collect(Collectors.joining("; ")), slices, set, method);
        }
        List<GateReport.Slice> improved = shown.stream()
                .filter(s -> s.verdict().equals(IMPROVED) || s.verdict().equals(LEARNED)).toList();
        if (improved.isEmpty()) {
            List<GateReport.Slice> unjudged = targeted.stream().filter(s -> s.lower() == null).toList();
            return report("REJECTED", "no improvement shown with confidence on " + shown.stream()
                    .map(s -> describe(s) + "; " + needs(s)).collect(Collectors.joining("; "))
                    + (unjudged.isEmpty() ? "" : "; not judged: " + unjudged.stream().map(this::needs)
                    .collect(Collectors.joining("; "))), slices, set, method);
        }
        return report("PROMOTED", "better on " + describe(improved) + "; no slice worse beyond the tolerance of "
                + points(settings.tolerance()) + " points", slices, set, method);
    }

    static final String IMPROVED = "improved";
    static final String NO_CHANGE = "no change";
    static final String NOT_SHOWN = "no improvement shown";
    static final String REGRESSED = "regressed";
    static final String TOO_FEW = "too few samples";
    static final String LEARNED = "learned";
    static final String NOT_LEARNED = "not learned";

    private GateReport.Slice judge(String name, List<Scored> samples, boolean targeted, boolean hasChampion,
                                   SplittableRandom random) {
        int n = samples.size();
        double candidate = samples.stream().filter(s -> s.truth().equals(s.candidate())).count() / (double) Math.max(1, n);
        int min = targeted ? settings.minTargetedSamples() : settings.minSliceSamples();
        if (name.startsWith(NEW_CLASS) || !hasChampion) {
            if (n < min) {
                return new GateReport.Slice(name, targeted, n, null, candidate, null, null, null, TOO_FEW);
            }
            double[] ci = Intervals.wilson(Math.round(candidate * n), n);
            String verdict = !name.startsWith(NEW_CLASS) ? NO_CHANGE
                    : ci[0] >= settings.newClassFloor() ? LEARNED : NOT_LEARNED;
            return new GateReport.Slice(name, targeted, n, null, candidate, null, ci[0], ci[1], verdict);
        }
        double champion = samples.stream().filter(s -> s.truth().equals(s.champion())).count() / (double) n;
        if (n < min) {
            return new GateReport.Slice(name, targeted, n, champion, candidate, candidate - champion, null, null,
                    TOO_FEW);
        }
        int[] d = new int[n];
        for (int i = 0; i < n; i++) {
            Scored s = samples.get(i);
            d[i] = (s.truth().equals(s.candidate()) ? 1 : 0) - (s.truth().equals(s.champion()) ? 1 : 0);
        }
        double[] ci = pairedBootstrap(d, random);
        // A targeted slice must improve; one whose interval straddles 0 has shown nothing either way,
        // and is reported as such (it is rejected all the same: its lower end is not above 0).
        double difference = candidate - champion;
        boolean worse = n >= settings.minNonInferioritySamples() ? ci[0] < -settings.tolerance()
                : ci[1] < 0 && difference < -settings.tolerance();
        String verdict = ci[0] > 0 ? IMPROVED
                : targeted ? (ci[1] < 0 ? REGRESSED : NOT_SHOWN)
                : worse ? REGRESSED : NO_CHANGE;
        return new GateReport.Slice(name, targeted, n, champion, candidate, candidate - champion, ci[0], ci[1],
                verdict);
    }

    /** 2.5th and 97.5th percentiles of the mean of {@code d} over bootstrap draws. */
    double[] pairedBootstrap(int[] d, SplittableRandom random) {
        int n = d.length;
        boolean anyDiscordant = false;
        for (int v : d) {
            anyDiscordant |= v != 0;
        }
        if (!anyDiscordant) {
            return new double[] {0, 0};
        }
        double[] means = new double[settings.resamples()];
        for (int b = 0; b < means.length; b++) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += d[random.nextInt(n)];
            }
            means[b] = (double) sum / n;
        }
        Arrays.sort(means);
        int lo = (int) Math.floor(0.025 * (means.length - 1));
        int hi = (int) Math.ceil(0.975 * (means.length - 1));
        return new double[] {means[lo], means[hi]};
    }

    private Map<String, List<Scored>> slices(List<Scored> samples, Targets targets) {
        Map<String, List<Scored>> slices = new LinkedHashMap<>();
        List<Scored> reference = samples.stream().filter(Scored::reference).toList();
        if (!reference.isEmpty()) {
            slices.put(REFERENCE, reference);
        }
        Map<String, List<Scored>> sensors = new TreeMap<>();
        Map<String, List<Scored>> classes = new TreeMap<>();
        for (Scored s : samples) {
            if (!s.reference() && s.sensor() != null) {
                sensors.computeIfAbsent(SENSOR + s.sensor(), k -> new ArrayList<>()).add(s);
            }
            boolean newClass = targets.newClasses().contains(s.truth());
            // An old class is judged where the run did not aim: a targeted sensor's gains on a class
            // would otherwise hide a loss on that class everywhere else (that sensor has its own slice).
            if (newClass || s.reference() || s.sensor() == null || !targets.sensors().contains(s.sensor())) {
                classes.computeIfAbsent((newClass ? NEW_CLASS : CLASS) + s.truth(), k -> new ArrayList<>()).add(s);
            }
        }
        for (String sensor : targets.sensors()) {
            sensors.putIfAbsent(SENSOR + sensor, List.of());
        }
        for (String c : targets.newClasses()) {
            classes.putIfAbsent(NEW_CLASS + c, List.of());
        }
        slices.putAll(sensors);
        slices.putAll(classes);
        return slices;
    }

    private static boolean targeted(String slice, Targets targets) {
        return slice.startsWith(NEW_CLASS)
                || slice.startsWith(SENSOR) && targets.sensors().contains(slice.substring(SENSOR.length()));
    }

    /** How many more labels a targeted slice would need to show what it shows now, with confidence. */
    private String needs(GateReport.Slice s) {
        String what = s.name().startsWith(SENSOR) ? "sensor " + s.name().substring(SENSOR.length())
                : "class " + s.name().substring(s.name().indexOf(':') + 1);
        if (s.n() < settings.minTargetedSamples()) {
            int more = (int) Math.ceil((settings.minTargetedSamples() - s.n()) / settings.testFraction());
            return String.format(Locale.ROOT, "%s has %d held-out labels and needs %d to be judged: about %d more labels",
                    what, s.n(), settings.minTargetedSamples(), more);
        }
        if (s.difference() == null || s.difference() <= 0 || s.upper() == null) {
            return what + ": the candidate is not better there";
        }
        double half = (s.upper() - s.lower()) / 2;
        double wanted = s.n() * Math.pow(1.2 * half / s.difference(), 2);
        int more = (int) Math.ceil(Math.max(1, wanted - s.n()) / settings.testFraction());
        return String.format(Locale.ROOT, "if the gain of %s points holds, about %d more labels of %s would show it",
                points(s.difference()), more, what);
    }

    private static double overall(List<GateReport.Slice> slices) {
        int n = 0;
        double correct = 0;
        for (GateReport.Slice s : slices) {
            if (s.name().startsWith(CLASS) || s.name().startsWith(NEW_CLASS)) {
                n += s.n();
                correct += s.candidate() * s.n();
            }
        }
        return n == 0 ? 0 : correct / n;
    }

    private String describe(List<GateReport.Slice> slices) {
        return slices.stream().map(SliceGate::describe).collect(Collectors.joining(", "));
    }

    private static String describe(GateReport.Slice s) {
        if (s.champion() == null) {
            return String.format(Locale.ROOT, "%s (n=%d, accuracy %s%%, 95%% interval [%s, %s])", s.name(), s.n(),
                    points(s.candidate()), points(s.lower()), points(s.upper()));
        }
        return String.format(Locale.ROOT, "%s (n=%d, %s%% -> %s%%, %+.1f points, 95%% interval [%+.1f, %+.1f])",
                s.name(), s.n(), points(s.champion()), points(s.candidate()), 100 * s.difference(),
                100 * s.lower(), 100 * s.upper());
    }

    private static String points(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    private static String percent(double fraction) {
        return points(fraction) + "%";
    }

    private GateReport report(String decision, String reason, List<GateReport.Slice> slices,
                              GateReport.EvaluationSet set, String method) {
        return new GateReport(decision, reason, settings.tolerance(), method, set, List.copyOf(slices));
    }
}
