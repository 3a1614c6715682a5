package io.argus.tools.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.engine.Engine;
import io.argus.common.engine.Forward;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.ImageRejected;
import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelBundles;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.ood.OodFit;
import io.argus.common.ood.OodReference;
import io.argus.common.ood.OodScorer;
import io.argus.common.ood.OtherDomainImages;
import io.argus.learning.training.TrainingSet;
import io.argus.tools.CommandLine;
import io.argus.tools.bench.Table;

/**
 * Which out-of-distribution score separates ordinary images from images of other domains, on a
 * model bundle: the maximum softmax probability, the energy of the logits and the Mahalanobis
 * distance of the penultimate-layer embedding (the one served). Ordinary images are the second
 * half of the Fashion-MNIST test split (the base model's threshold is fitted on the first half);
 * other domains are generated (noise, shapes, text) and any directories of image files given.
 * Every image goes through the served decoding and preprocessing and the ONNX Runtime engine.
 * Prints, per score, the share of each other domain flagged at the threshold that flags 5% of the
 * ordinary images, and the same at the bundle's own threshold.
 */
public final class OodReport {

    /** A directory of image files of another domain, named for the table. */
    public record Source(String name, Path dir) {
    }

    /** Options; see {@link #USAGE}. */
    public record Options(Path store, String model, Optional<Path> bundle, Optional<Path> data, List<Source> others,
                          int generated, double ordinaryShare, long seed) {
    }

    public static final String USAGE = """
            ood-report [options]   how well each out-of-distribution score flags images of other domains
              --store DIR          model store to take the newest bundle of --model from (default run/models)
              --model NAME         model name (default argus)
              --bundle FILE        a bundle file instead of the store's newest
              --data DIR           Fashion-MNIST directory (default as every command: ARGUS_FASHION_MNIST,
                                   Debian's if installed, else the bundled subset)
              --other NAME=DIR     image files (png, jpg, gif, bmp) of another domain, not recursive; repeatable
              --generated N        generated images per kind: noise, shapes, text (default 500)
              --ordinary-share X   share of ordinary images a threshold may flag (default 0.05)
              --seed N             seed of the generated images (default 7)""";

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    /** The {@code ood-report} command: parses, runs, prints; the exit code. */
    public static int command(String[] args) throws Exception {
        return CommandLine.run(args, USAGE, OodReport::parse, o -> {
            System.out.print(new OodReport().run(o));
            return 0;
        });
    }

    public static Options parse(String[] args) {
        Path store = Path.of("run/models");
        String model = "argus";
        Optional<Path> bundle = Optional.empty();
        Optional<Path> data = Optional.empty();
        List<Source> others = new ArrayList<>();
        int generated = 500;
        double share = 0.05;
        long seed = 7;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
            }
            String v = args[i + 1];
            try {
                switch (args[i]) {
                    case "--store" -> store = Path.of(v);
                    case "--model" -> model = v;
                    case "--bundle" -> bundle = Optional.of(Path.of(v));
                    case "--data" -> data = Optional.of(Path.of(v));
                    case "--other" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--other needs NAME=DIR, not '" + v + "'");
                        }
                        others.add(new Source(v.substring(0, eq), Path.of(v.substring(eq + 1))));
                    }
                    case "--generated" -> generated = Integer.parseInt(v);
                    case "--ordinary-share" -> share = Double.parseDouble(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a number, not '" + v + "'");
            }
        }
        if (!(share > 0 && share < 1) || generated < 0) {
            throw new IllegalArgumentException("--ordinary-share must be in (0, 1) and --generated at least 0");
        }
        return new Options(store, model, bundle, data, others, generated, share, seed);
    }

    /** Per image of a set: 1 - max probability, energy (-logsumexp of the logits; NaN if unknown), Mahalanobis. */
    private record Scores(double[] msp, double[] energy, double[] mahalanobis) {
    }

    public String run(Options o) throws IOException {
        ModelBundle bundle = o.bundle().isPresent() ? ModelBundles.read(o.bundle().get()) : latest(o);
        InputSpec spec = bundle.manifest().inputSpec();
        FashionMnist.Data data = o.data().isPresent() ? FashionMnist.load(o.data().get()) : FashionMnist.load();
        StringBuilder out = new StringBuilder();
        OodReference reference = bundle.manifest().ood();
        if (reference == null) {
            out.append(bundle.manifest().id()).append(" has no out-of-distribution statistics; fitted here as "
                    + "training would (training images, threshold on the first half of the test split)\n");
            TrainingSet train = TrainingSet.of(data.train(), bundle.manifest().labels(), spec);
            LabeledImages firstHalf = data.test().first(data.test().count() / 2);
            TrainingSet held = TrainingSet.of(firstHalf, bundle.manifest().labels(), spec);
            reference = OodFit.fit(bundle.network(), spec, train.inputs(), train.classes(), train.labels().size(),
                    held.inputs(), held.count(), OodFit.Settings.DEFAULTS);
            bundle = new ModelBundle(bundle.manifest().withOod(reference), bundle.network(), bundle.onnx());
        }
        OodScorer mahalanobis = new OodScorer(reference);
        ImagePreprocessor prep = new ImagePreprocessor(spec, ImageLimits.DEFAULT);

        Map<String, List<byte[]>> sets = new LinkedHashMap<>();
        LabeledImages test = data.test();
        List<byte[]> ordinary = new ArrayList<>();
        for (int i = test.count() / 2; i < test.count(); i++) {
            ordinary.add(test.png(i));
        }
        for (OtherDomainImages.Kind kind : OtherDomainImages.Kind.values()) {
            sets.put(kind.name().toLowerCase(Locale.ROOT), OtherDomainImages.generate(kind, o.generated(), 56,
                    o.seed()));
        }
        for (Source s : o.others()) {
            sets.put(s.name(), files(s.dir()));
        }

        Map<String, Scores> scored = new LinkedHashMap<>();
        try (ImageClassifier onnx = Engine.ONNX.open(bundle, OnnxSettings.CPU)) {
            Scores base = score(onnx, prep, ordinary, mahalanobis, bundle.network());
            for (Map.Entry<String, List<byte[]>> e : sets.entrySet()) {
                scored.put(e.getKey(), score(onnx, prep, e.getValue(), mahalanobis, bundle.network()));
            }
            out.append(String.format(Locale.ROOT, "%s (%s): ordinary = Fashion-MNIST test images %d..%d (%s), %d "
                            + "images; other domains: %s%n", bundle.manifest().id(), onnx.engine(), test.count() / 2,
                    test.count() - 1, data.source(), ordinary.size(), describe(sets)));
            out.append(table(base, scored, o.ordinaryShare(), reference));
        }
        return out.toString();
    }

    private static String describe(Map<String, List<byte[]>> sets) {
        List<String> parts = new ArrayList<>();
        sets.forEach((k, v) -> parts.add(k + " " + v.size()));
        return String.join(", ", parts);
    }

    private static String table(Scores base, Map<String, Scores> sets, double share, OodReference reference) {
        List<String> header = new ArrayList<>(List.of("score", "threshold", "ordinary flagged"));
        sets.keySet().forEach(header::add);
        header.add("all other");
        header.add("AUROC");
        Table t = new Table(header.toArray(String[]::new));
        row(t, "max softmax (1 - p)", base.msp(), sets, s -> s.msp(), OodFit.quantile(base.msp(), 1 - share));
        if (!Double.isNaN(base.energy()[0])) {
            row(t, "energy (-logsumexp)", base.energy(), sets, s -> s.energy(),
                    OodFit.quantile(base.energy(), 1 - share));
        }
        row(t, "mahalanobis", base.mahalanobis(), sets, s -> s.mahalanobis(),
                OodFit.quantile(base.mahalanobis(), 1 - share));
        row(t, String.format(Locale.ROOT, "mahalanobis, bundle's (p%.1f)", reference.percentile() * 100),
                base.mahalanobis(), sets, s -> s.mahalanobis(), reference.threshold());
        return t.render() + String.format(Locale.ROOT, "Rows 1-3: threshold where %.0f%% of ordinary images are "
                + "flagged; last row: the threshold the bundle serves with. Cells: share of the set over the "
                + "threshold. AUROC: chance an other-domain image scores above an ordinary one.%n", share * 100);
    }

    private static void row(Table t, String name, double[] ordinary, Map<String, Scores> sets,
                            java.util.function.Function<Scores, double[]> of, double threshold) {
        List<Object> cells = new ArrayList<>(List.of(name, String.format(Locale.ROOT, "%.4g", threshold),
                percent(flagged(ordinary, threshold))));
        List<double[]> all = new ArrayList<>();
        for (Scores s : sets.values()) {
            cells.add(percent(flagged(of.apply(s), threshold)));
            all.add(of.apply(s));
        }
        double[] pooled = all.stream().flatMapToDouble(Arrays::stream).toArray();
        cells.add(percent(flagged(pooled, threshold)));
        cells.add(String.format(Locale.ROOT, "%.3f", auroc(ordinary, pooled)));
        t.row(cells.toArray());
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static double flagged(double[] scores, double threshold) {
        if (scores.length == 0) {
            return Double.NaN;
        }
        return (double) Arrays.stream(scores).filter(s -> s > threshold).count() / scores.length;
    }

    /** P(other > ordinary) + P(tie) / 2, by ranks. */
    static double auroc(double[] ordinary, double[] other) {
        if (ordinary.length == 0 || other.length == 0) {
            return Double.NaN;
        }
        double[] sorted = ordinary.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double x : other) {
            int below = lowerBound(sorted, x);
            int notAbove = upperBound(sorted, x);
            sum += below + (notAbove - below) / 2.0;
        }
        return sum / ((double) ordinary.length * other.length);
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The three scores of every image that decodes, through the served preprocessing and ONNX Runtime. */
    private static Scores score(ImageClassifier onnx, ImagePreprocessor prep, List<byte[]> files, OodScorer scorer,
                                Model network) {
        int size = prep.spec().size();
        List<float[]> inputs = new ArrayList<>();
        for (byte[] f : files) {
            try {
                inputs.add(prep.prepare(f));
            } catch (ImageRejected e) {
                // not an image the service would classify either
            }
        }
        int n = inputs.size();
        double[] msp = new double[n];
        double[] energy = new double[n];
        double[] maha = new double[n];
        INDArray w = null;
        INDArray b = null;
        if (network instanceof MultiLayerNetwork mln && mln.getOutputLayer().getParam("W") != null) {
            w = mln.getOutputLayer().getParam("W");
            b = mln.getOutputLayer().getParam("b");
        }
        for (int from = 0; from < n; from += 256) {
            int k = Math.min(256, n - from);
            float[] batch = new float[k * size];
            for (int i = 0; i < k; i++) {
                System.arraycopy(inputs.get(from + i), 0, batch, i * size, size);
            }
            Forward f = onnx.forward(batch, k);
            double[] m = scorer.scores(f.embeddings());
            for (int i = 0; i < k; i++) {
                float max = 0;
                for (float p : f.probabilities()[i]) {
                    max = Math.max(max, p);
                }
                msp[from + i] = 1 - max;
                maha[from + i] = m[i];
                energy[from + i] = w == null ? Double.NaN : energy(f.embeddings()[i], w, b);
            }
        }
        return new Scores(msp, energy, maha);
    }

    /** -log(sum(exp(logits))): low for inputs the model has seen the like of, high for others. */
    private static double energy(float[] e, INDArray w, INDArray b) {
        int classes = (int) w.size(1);
        double[] logits = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = b == null ? 0 : b.getDouble(c);
            for (int k = 0; k < e.length; k++) {
                z += e[k] * w.getDouble(k, c);
            }
            logits[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        return -(max + Math.log(sum));
    }

    private static List<byte[]> files(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name::endsWith)) {
                    out.add(Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static ModelBundle latest(Options o) throws IOException {
        ModelStore store = new ModelStore(o.store());
        StoredModel stored = store.latest(o.model()).orElseThrow(() -> new IllegalArgumentException("no model '"
                + o.model() + "' in " + o.store() + ": run ./argus pretrain first, or give --bundle"));
        return store.load(stored);
    }
}
