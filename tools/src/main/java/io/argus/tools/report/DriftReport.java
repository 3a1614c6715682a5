package io.argus.tools.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.drift.DriftDetector;
import io.argus.common.drift.FleetDrift;
import io.argus.common.engine.Engine;
import io.argus.common.engine.Forward;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.model.ConfusionMatrix;
import io.argus.common.model.DriftReference;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.learning.training.Progress;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

/**
 * Drift per sensor, measured in-process with the classes inference uses ({@link FleetDrift},
 * {@link DriftDetector}) and the served model on ONNX Runtime: Fashion-MNIST test images through the
 * demo's {@link SimulatedCameras}. The reference is taken on the first half of the test split, the
 * same way a bundle's is made ({@link DriftReference#of}); the cameras send images of the other half
 * (drawn at random, with replacement), so no stream replays the images of its reference. Prints:
 * false alarms of ordinary cameras (four sensors over a short stream, then a long one), and for
 * each kind of shift how many images it takes to flag a new camera that has it, to flag an ordinary
 * camera that starts having it, and to clear that camera once it is ordinary again.
 */
public final class DriftReport implements CommandLine.Report<DriftReport.Options> {

    /** Options; see {@link #USAGE}. */
    public record Options(Path store, String model, Optional<Path> data, DriftDetector.Settings settings,
                          boolean embedding, int ordinary, long longStream, int trials, int before, int cap, List<String> shifts,
                          long seed) {
    }

    public static final String USAGE = """
            drift-report [options]   drift per sensor: false alarms of ordinary cameras, detection delay per shift
              --store DIR       model store with the pretrained base model (default run/models)
              --model NAME      model name (default argus; the newest version is used)
              --data DIR        Fashion-MNIST directory (default: ARGUS_FASHION_MNIST, else Debian's, else bundled)
              --window N        sliding window per sensor, in images (default 200)
              --min-samples N   images in a window before it is scored (default 150)
              --threshold X     score that flags a sensor (default 0.25)
              --clear X         score under which a flagged sensor is cleared (default 0.10)
              --embedding-threshold X  mean squared standard error of the window's mean embedding that flags
                                a sensor (default 8.0); 'off' scores the answers' two PSIs only
              --ordinary N      images of the four ordinary cameras in the short stream (default 5000)
              --long N          images of the four ordinary cameras in the long stream (default 1000000)
              --trials N        streams per shift, each with its own draw of images (default 20)
              --before N        ordinary images a camera sends before its shift starts (default 1000)
              --cap N           images of a shift after which it counts as not flagged (default 5000)
              --shifts LIST     kinds of shift (default inverted,low-contrast,rotated,noise,gamma,blur)
              --seed N          seed of the draws (default 7)""";

    private static final int SENSORS = 4;
    private static final int BATCH = 256;

    private final Progress out;

    public DriftReport(Progress out) {
        this.out = out;
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        DriftDetector.Settings d = DriftDetector.Settings.DEFAULTS;
        Path store = a.path("--store", Path.of("run/models"));
        String model = a.text("--model", "argus");
        Optional<Path> data = a.path("--data");
        int window = a.positive("--window", d.window());
        int minSamples = a.positive("--min-samples", d.minSamples());
        double threshold = a.decimal("--threshold", d.threshold());
        double clear = a.decimal("--clear", d.clearBelow());
        String embedding = a.text("--embedding-threshold", Double.toString(d.embeddingThreshold()));
        boolean embeddingOn = !"off".equals(embedding);
        int ordinary = a.positive("--ordinary", 5000);
        long longStream = a.longValue("--long", 1_000_000);
        int trials = a.positive("--trials", 20);
        int before = a.integer("--before", 1000);
        int cap = a.positive("--cap", 5000);
        List<String> shifts = a.list("--shifts", List.of("inverted", "low-contrast", "rotated", "noise", "gamma",
                "blur"));
        long seed = a.longValue("--seed", 7);
        a.done();
        for (String s : shifts) {
            if (!SimulatedCameras.SHIFTS.contains(s)) {
                throw new IllegalArgumentException("unknown shift '" + s + "'; known: " + SimulatedCameras.SHIFTS);
            }
        }
        return new Options(store, model, data, new DriftDetector.Settings(window, minSamples, threshold, clear,
                embeddingOn ? Double.parseDouble(embedding) : d.embeddingThreshold()),
                embeddingOn, ordinary, longStream, trials, before, cap, shifts, seed);
    }

    /** The model's answer to one image: predicted class, confidence and embedding (null rows: none). */
    private record Answers(int[] classes, float[] confidences, float[][] embeddings) {
        float[] embedding(int i) {
            return embeddings == null ? null : embeddings[i];
        }

        int size() {
            return classes.length;
        }
    }

    @Override
    public void run(Options o) throws IOException {
        StoredModel stored = new ModelStore(o.store()).latest(o.model()).orElseThrow(() -> new IllegalStateException(
                "no model '" + o.model() + "' in " + o.store() + ": run ./argus pretrain first"));
        ModelBundle bundle = ModelStore.load(stored.file(), stored.sha256(), Engine.ONNX.parts());
        FashionMnist.Data data = FashionMnist.load(o.data());
        LabeledImages test = data.test();
        int half = test.count() / 2;
        DriftDetector.Settings s = o.settings();
        out.report(String.format(Locale.ROOT, "Drift report: %s (%s; its bundle %s reference statistics) on "
                        + "Fashion-MNIST test images (%s): reference on the first %d, cameras draw from the other %d. "
                        + "Windows of %d images, scored from %d, flag at %.2f, clear under %.2f; embedding part %s.",
                stored.id(),
                bundle.manifest().provenance() == null ? "?" : bundle.manifest().provenance().dataset(),
                bundle.manifest().driftReference() == null ? "has no" : "has", data.source(), half,
                test.count() - half, s.window(), s.minSamples(), s.threshold(), s.clearBelow(),
                o.embedding() ? String.format(Locale.ROOT, "flags at %.1f", s.embeddingThreshold()) : "off"));
        try (ImageClassifier model = Engine.ONNX.open(bundle, OnnxSettings.CPU)) {
            ImagePreprocessor prep = new ImagePreprocessor(model.inputSpec(), ImageLimits.DEFAULT);
            int[] refIdx = range(0, half);
            int[] camIdx = range(half, test.count());
            Forward ref = forward(model, prep, test, refIdx, img -> img);
            DriftReference reference = DriftReference.of(ref.probabilities(), o.embedding() ? ref.embeddings() : null,
                    "Fashion-MNIST test images 0.." + (half - 1));
            if (o.embedding() && reference.embedding() == null) {
                out.report("The model gives no embedding: the embedding part is off.");
            }
            Answers ordinary = answers(forward(model, prep, test, camIdx, img -> img));
            Random noise = new Random(o.seed());
            List<Answers> shifted = new ArrayList<>();
            for (String shift : o.shifts()) {
                shifted.add(answers(forward(model, prep, test, camIdx, SimulatedCameras.shift(shift, noise))));
            }
            report(o, reference, ordinary, shifted);
        }
    }

    private void report(Options o, DriftReference reference, Answers ordinary, List<Answers> shifted) {
        Random random = new Random(o.seed());
        DriftDetector.Settings s = o.settings();

        // Ordinary cameras: the short stream, then a long one.
        Ordinary shortRun = ordinaryStream(reference, s, ordinary, o.ordinary(), random);
        Ordinary longRun = ordinaryStream(reference, s, ordinary, o.longStream(), random);
        StringBuilder t = new StringBuilder("\nOrdinary cameras (4 sensors, images drawn at random from the held-out "
                + "half)\n");
        t.append(String.format(Locale.ROOT, "%-12s %12s %8s %14s %12s %12s %12s %12s%n", "stream", "images", "flags",
                "flags/10k img", "max score", "p99.9 score", "max emb. z", "p99.9 z"));
        for (Ordinary r : List.of(shortRun, longRun)) {
            t.append(String.format(Locale.ROOT, "%-12s %12d %8d %14.4f %12.3f %12.3f %12.2f %12.2f%n",
                    r == shortRun ? "short" : "long", r.images(), r.flags(), r.flags() * 10_000.0 / r.images(),
                    r.maxScore(), r.p999(), r.maxZ(), r.p999Z()));
        }
        t.append("(emb. z: the embedding statistic, about 1 when nothing changed; the part flags at "
                + (reference.embedding() == null ? "- (off)" : String.format(Locale.ROOT, "%.1f", s.embeddingThreshold()))
                + ")\n");

        t.append(String.format(Locale.ROOT, "%nShifts (%d streams each; images of the shift until flagged, and "
                        + "ordinary images after it until cleared; median / max; '>%d' = not flagged within %d)%n",
                o.trials(), o.cap(), o.cap()));
        t.append(String.format(Locale.ROOT, "%-13s %22s %26s %24s   %s%n", "shift", "new camera: flagged",
                "after " + o.before() + " ordinary: flagged", "back to ordinary: cleared",
                "flagged by (new camera; after ordinary)"));
        for (int k = 0; k < o.shifts().size(); k++) {
            Answers shift = shifted.get(k);
            int[] fresh = new int[o.trials()];
            int[] change = new int[o.trials()];
            int[] clear = new int[o.trials()];
            Map<String, Integer> freshParts = new TreeMap<>();
            Map<String, Integer> changeParts = new TreeMap<>();
            for (int trial = 0; trial < o.trials(); trial++) {
                DriftDetector first = new DriftDetector(reference, s);
                fresh[trial] = untilFlagged(first, shift, o.cap(), random);
                if (first.drifted()) {
                    freshParts.merge(first.score().part(), 1, Integer::sum);
                }
                DriftDetector d = new DriftDetector(reference, s);
                for (int i = 0; i < o.before(); i++) {
                    observe(d, ordinary, random);
                }
                change[trial] = d.drifted() ? -1 : untilFlagged(d, shift, o.cap(), random);
                if (change[trial] != -1 && d.drifted()) {
                    changeParts.merge(d.score().part(), 1, Integer::sum);
                }
                clear[trial] = d.drifted() ? untilCleared(d, ordinary, o.cap(), random) : -1;
            }
            t.append(String.format(Locale.ROOT, "%-13s %22s %26s %24s   %s; %s%n", o.shifts().get(k),
                    summary(fresh, o.cap()), summary(change, o.cap()), summary(clear, o.cap()), parts(freshParts),
                    parts(changeParts)));
        }
        int timed = (int) Math.min(Integer.MAX_VALUE, Math.max(100_000, o.longStream()));
        t.append(String.format(Locale.ROOT, "%nCost: FleetDrift.observe, which inference calls once per committed "
                + "result, took %.3f microseconds per answer (%,d answers of %d sensors on one thread, after a warm-up "
                + "pass)%n", observeNanos(reference, s, ordinary, timed, o.seed()) / 1000, timed, SENSORS));
        out.report(t.toString());
    }

    private record Ordinary(long images, int flags, double maxScore, double p999, double maxZ, double p999Z) {
    }

    /** Which part flagged how many streams, e.g. {@code class 12, embedding 8}. */
    private static String parts(Map<String, Integer> counts) {
        return counts.isEmpty() ? "-" : String.join(", ", counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    /** Four ordinary sensors in turn; every flag is a false alarm. */
    private static Ordinary ordinaryStream(DriftReference reference, DriftDetector.Settings s, Answers ordinary,
                                           long images, Random random) {
        FleetDrift fleet = new FleetDrift(reference, s, SENSORS);
        int flags = 0;
        double max = 0;
        // Scores binned by 0.001 for the 99.9th percentile.
        long[] histogram = new long[1001];
        // The embedding statistic z, binned by 0.01 up to 100.
        long[] zHistogram = new long[10_001];
        double maxZ = Double.NaN;
        long scored = 0;
        for (long i = 0; i < images; i++) {
            String sensor = "cam-" + (i % SENSORS);
            int j = random.nextInt(ordinary.size());
            if (fleet.observe(sensor, ordinary.classes()[j], ordinary.confidences()[j], ordinary.embedding(j))
                    .filter(c -> c.transition() == DriftDetector.Transition.DRIFTED).isPresent()) {
                flags++;
            }
            DriftDetector.Score score = fleet.score(sensor);
            if (score.known()) {
                max = Math.max(max, score.score());
                histogram[(int) Math.min(1000, Math.round(score.score() * 1000))]++;
                scored++;
                if (!Double.isNaN(score.embedding())) {
                    double z = score.embedding() * s.embeddingThreshold() / s.threshold();
                    maxZ = Double.isNaN(maxZ) ? z : Math.max(maxZ, z);
                    zHistogram[(int) Math.min(10_000, Math.round(z * 100))]++;
                }
            }
        }
        double p999 = percentile(histogram, 0.999) / 1000;
        return new Ordinary(images, flags, max, p999, maxZ, percentile(zHistogram, 0.999) / 100);
    }

    /** The bin at quantile {@code q} of a histogram; NaN when it is empty. */
    private static double percentile(long[] histogram, double q) {
        long total = Arrays.stream(histogram).sum();
        long seen = 0;
        for (int b = 0; b < histogram.length && total > 0; b++) {
            seen += histogram[b];
            if (seen >= q * total) {
                return b;
            }
        }
        return Double.NaN;
    }

    /**
     * What drift per sensor costs inference per result, in nanoseconds: {@link FleetDrift#observe}, which
     * the service calls once per committed result on its classification thread, timed over passes of their
     * own (answers drawn beforehand, with a random of its own so the figures above stay as they were); the
     * second pass is the one reported, the first warms the JIT up.
     */
    private static double observeNanos(DriftReference reference, DriftDetector.Settings s, Answers ordinary,
                                       int images, long seed) {
        Random random = new Random(seed);
        String[] sensors = new String[SENSORS];
        for (int i = 0; i < SENSORS; i++) {
            sensors[i] = "cam-" + i;
        }
        int[] drawn = random.ints(images, 0, ordinary.size()).toArray();
        double nanos = Double.NaN;
        long changes = 0;
        for (int pass = 0; pass < 2; pass++) {
            FleetDrift fleet = new FleetDrift(reference, s, SENSORS);
            long start = System.nanoTime();
            for (int i = 0; i < images; i++) {
                int j = drawn[i];
                if (fleet.observe(sensors[i % SENSORS], ordinary.classes()[j], ordinary.confidences()[j],
                        ordinary.embedding(j)).isPresent()) {
                    changes++;
                }
            }
            nanos = (System.nanoTime() - start) / (double) images;
        }
        // Used, so the loop cannot be optimised away.
        return changes < 0 ? Double.NaN : nanos;
    }

    private static int untilFlagged(DriftDetector d, Answers stream, int cap, Random random) {
        for (int n = 1; n <= cap; n++) {
            if (observe(d, stream, random) == DriftDetector.Transition.DRIFTED) {
                return n;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int untilCleared(DriftDetector d, Answers stream, int cap, Random random) {
        for (int n = 1; n <= cap; n++) {
            if (observe(d, stream, random) == DriftDetector.Transition.CLEARED) {
                return n;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static DriftDetector.Transition observe(DriftDetector d, Answers stream, Random random) {
        int j = random.nextInt(stream.size());
        return d.observe(stream.classes()[j], stream.confidences()[j], stream.embedding(j));
    }

    /** Median / max of the trials; a trial of -1 did not apply (flagged before its shift, or never flagged). */
    private static String summary(int[] values, int cap) {
        int[] v = Arrays.stream(values).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return "n/a";
        }
        int skipped = values.length - v.length;
        return cell(v[(v.length - 1) / 2], cap) + " / " + cell(v[v.length - 1], cap)
                + (skipped > 0 ? " (" + skipped + " n/a)" : "");
    }

    private static String cell(int v, int cap) {
        return v == Integer.MAX_VALUE ? ">" + cap : Integer.toString(v);
    }

    private static Answers answers(Forward forward) {
        float[][] probabilities = forward.probabilities();
        int[] classes = new int[probabilities.length];
        float[] confidences = new float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            classes[i] = ConfusionMatrix.argMax(probabilities[i]);
            confidences[i] = probabilities[i][classes[i]];
        }
        return new Answers(classes, confidences, forward.embeddings());
    }

    /**
     * The model's probabilities and embeddings for the images (embeddings null if it gives none), each
     * rendered by the camera and prepared as inference does.
     */
    private static Forward forward(ImageClassifier model, ImagePreprocessor prep, LabeledImages images,
                                   int[] indices, UnaryOperator<BufferedImage> camera) {
        int size = model.inputSpec().size();
        float[][] out = new float[indices.length][];
        float[][] embeddings = new float[indices.length][];
        boolean any = true;
        for (int from = 0; from < indices.length; from += BATCH) {
            int n = Math.min(BATCH, indices.length - from);
            float[] x = new float[n * size];
            for (int k = 0; k < n; k++) {
                // Through PNG bytes, as a camera sends them and inference decodes them.
                prep.prepare(SimulatedCameras.png(camera.apply(images.image(indices[from + k]))), x, k * size);
            }
            Forward f = model.forward(x, n);
            System.arraycopy(f.probabilities(), 0, out, from, n);
            if (f.hasEmbeddings()) {
                System.arraycopy(f.embeddings(), 0, embeddings, from, n);
            } else {
                any = false;
            }
        }
        return new Forward(out, any ? embeddings : null);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
