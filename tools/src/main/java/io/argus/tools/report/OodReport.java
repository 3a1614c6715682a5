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
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

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
import io.argus.common.model.OodReference;
import io.argus.common.engine.OodScorer;
import io.argus.common.ood.OtherDomainImages;
import io.argus.learning.training.TrainingSet;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;
import io.argus.tools.bench.Table;

/**
 * Which out-of-distribution score separates ordinary images from images of other domains, on a
 * model bundle: the maximum softmax probability, each component of {@link OodScorer} alone, their
 * combinations by the largest scaled score, and what the bundle serves. Every threshold and scale
 * is fitted on ordinary images only (the first half of the Fashion-MNIST test split, as the base
 * model's are) at the served percentile; ordinary images flagged are counted on the second half.
 * Other domains are generated (noise, shapes, text) and any directories of image files given;
 * each set is split in two by position, a half to choose a score by and a half to report it on.
 * Every image goes through the served decoding and preprocessing and the ONNX Runtime engine.
 */
public final class OodReport {

    /** A directory of image files of another domain, named for the table. */
    public record Source(String name, Path dir) {
    }

    /** Options; see {@link #USAGE}. */
    public record Options(Path store, String model, Optional<Path> bundle, Optional<Path> data, List<Source> others,
                          int generated, long seed, double percentile) {
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
              --seed N             seed of the generated images (default 7)
              --percentile P       share of ordinary held-out images under each threshold (default the
                                   served one, 0.96)""";

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    /** The combinations compared, by their largest scaled component (single components are rows too). */
    private static final List<List<String>> COMBINATIONS = List.of(
            List.of(OodScorer.MAHALANOBIS, OodScorer.ENERGY),
            List.of(OodScorer.MAHALANOBIS, OodScorer.PIXEL_DEVIATION),
            List.of(OodScorer.ENERGY, OodScorer.PIXEL_DEVIATION),
            List.of(OodScorer.ENERGY_REACT, OodScorer.PIXEL_DEVIATION),
            List.of(OodScorer.ENERGY, OodScorer.ENERGY_REACT, OodScorer.PIXEL_DEVIATION),
            List.of(OodScorer.MAHALANOBIS, OodScorer.ENERGY_REACT, OodScorer.PIXEL_DEVIATION),
            List.of(OodScorer.MAHALANOBIS, OodScorer.ENERGY, OodScorer.PIXEL_RESIDUAL),
            List.of(OodScorer.MAHALANOBIS, OodScorer.ENERGY, OodScorer.PIXEL_DEVIATION),
            OodScorer.COMPONENTS);

    /**
     * How the served pair shares the ordinary images flagged: one component's scale at a higher
     * quantile than the other's {@link OodFit#SCALE_QUANTILE} leaves it fewer of them.
     */
    private static final List<Map<String, Double>> SPLITS = List.of(
            Map.of(OodScorer.ENERGY, 0.98), Map.of(OodScorer.ENERGY, 0.99),
            Map.of(OodScorer.PIXEL_DEVIATION, 0.98), Map.of(OodScorer.PIXEL_DEVIATION, 0.99),
            Map.of(OodScorer.PIXEL_DEVIATION, 0.995), Map.of(OodScorer.PIXEL_DEVIATION, 0.999));

    /** The {@code ood-report} command: parses, runs, prints; the exit code. */
    public static int command(String[] args) throws Exception {
        return CommandLine.run(args, USAGE, OodReport::parse, o -> {
            System.out.print(new OodReport().run(o));
            return 0;
        });
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        Path store = a.path("--store", Path.of("run/models"));
        String model = a.text("--model", "argus");
        Optional<Path> bundle = a.path("--bundle");
        Optional<Path> data = a.path("--data");
        List<Source> others = new ArrayList<>();
        for (String v : a.every("--other")) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--other needs NAME=DIR, not '" + v + "'");
            }
            others.add(new Source(v.substring(0, eq), Path.of(v.substring(eq + 1))));
        }
        int generated = a.integer("--generated", 500);
        long seed = a.longValue("--seed", 7);
        double percentile = a.decimal("--percentile", OodFit.Settings.DEFAULTS.percentile());
        a.done();
        if (generated < 0) {
            throw new IllegalArgumentException("--generated must be at least 0");
        }
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("--percentile must lie between 0 and 1");
        }
        return new Options(store, model, bundle, data, others, generated, seed, percentile);
    }

    /** A set of images as the network read them, with what the model made of them. */
    private record Scored(float[] inputs, Forward forward) {

        int count() {
            return forward.probabilities().length;
        }

        Scored half(int parity) {
            int[] keep = IntStream.range(0, count()).filter(i -> i % 2 == parity).toArray();
            int size = inputs.length / Math.max(1, count());
            float[] in = new float[keep.length * size];
            float[][] p = new float[keep.length][];
            float[][] e = forward.embeddings() == null ? null : new float[keep.length][];
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(inputs, keep[k] * size, in, k * size, size);
                p[k] = forward.probabilities()[keep[k]];
                if (e != null) {
                    e[k] = forward.embeddings()[keep[k]];
                }
            }
            return new Scored(in, new Forward(p, e));
        }
    }

    /** A candidate score: a name and how it scores a set, high for unlike the training data. */
    private record Candidate(String name, Function<Scored, double[]> score, double threshold) {
    }

    public String run(Options o) throws IOException {
        ModelBundle bundle = bundle(o.bundle(), o.store(), o.model());
        InputSpec spec = bundle.manifest().inputSpec();
        FashionMnist.Data data = FashionMnist.load(o.data());
        StringBuilder out = new StringBuilder();
        LabeledImages test = data.test();
        int half = test.count() / 2;
        double percentile = o.percentile();
        OodReference served = bundle.manifest().ood();
        OodReference parts;
        if (!OodScorer.serves(served)) {
            out.append(bundle.manifest().id()).append(" has no out-of-distribution statistics this version serves; fitted here as "
                    + "pretraining would (training images; scales and threshold on the first half of the test split)\n");
            TrainingSet train = TrainingSet.of(data.train(), bundle.manifest().labels(), spec);
            TrainingSet held = TrainingSet.of(test.first(half), bundle.manifest().labels(), spec);
            served = OodFit.fit(bundle.network(), spec, train.inputs(), train.classes(), train.labels().size(),
                    held.inputs(), held.count(), OodFit.Settings.DEFAULTS.withPercentile(percentile));
            bundle = new ModelBundle(bundle.manifest().withOod(served), bundle.network(), bundle.onnx());
        }
        parts = served;
        ImagePreprocessor prep = new ImagePreprocessor(spec, ImageLimits.DEFAULT);

        Map<String, List<byte[]>> sets = new LinkedHashMap<>();
        for (OtherDomainImages.Kind kind : OtherDomainImages.Kind.values()) {
            sets.put(kind.name().toLowerCase(Locale.ROOT), OtherDomainImages.generate(kind, o.generated(), 56,
                    o.seed()));
        }
        for (Source s : o.others()) {
            sets.put(s.name(), files(s.dir()));
        }
        try (ImageClassifier onnx = Engine.ONNX.open(bundle, OnnxSettings.CPU)) {
            Scored held = score(onnx, prep, IntStream.range(0, half).mapToObj(test::png).toList());
            Scored ordinary = score(onnx, prep, IntStream.range(half, test.count()).mapToObj(test::png).toList());
            Map<String, Scored> choose = new LinkedHashMap<>();
            Map<String, Scored> report = new LinkedHashMap<>();
            for (Map.Entry<String, List<byte[]>> e : sets.entrySet()) {
                Scored all = score(onnx, prep, e.getValue());
                choose.put(e.getKey(), all.half(0));
                report.put(e.getKey(), all.half(1));
            }
            List<Candidate> candidates = candidates(parts, served, held, percentile);
            out.append(String.format(Locale.ROOT, "%s (%s). Thresholds and scales: Fashion-MNIST test images 0..%d "
                            + "(%s) at p%.0f; ordinary flagged: images %d..%d; other domains (even positions to "
                            + "choose by, odd ones to report): %s%n", bundle.manifest().id(), onnx.engine(), half - 1,
                    data.source(), percentile * 100, half, test.count() - 1, describe(sets)));
            out.append(cost(onnx, served, ordinary));
            out.append("\nChoosing half:\n").append(table(candidates, ordinary, choose));
            out.append("\nReporting half:\n").append(table(candidates, ordinary, report));
            out.append("Cells: share of the set over the threshold. all other: all other-domain images pooled; "
                    + "set mean: the mean of the sets' shares. AUROC: chance an other-domain image scores above an "
                    + "ordinary one. served: the bundle's own reference (components ")
                    .append(served.scales().stream().map(OodReference.Scale::component).toList()).append(")\n");
        }
        return out.toString();
    }

    /**
     * What the served score costs per image beside the forward pass, on the ordinary images: both
     * timed over a few rounds after a warm-up round, the fastest round kept.
     */
    private static String cost(ImageClassifier onnx, OodReference served, Scored images) {
        try (OodScorer scorer = new OodScorer(served)) {
            return cost(onnx, scorer, images);
        }
    }

    private static String cost(ImageClassifier onnx, OodScorer scorer, Scored images) {
        int n = Math.min(images.count(), 2048);
        int size = images.inputs().length / Math.max(1, images.count());
        float[] inputs = Arrays.copyOf(images.inputs(), n * size);
        float[][] rows = Arrays.copyOf(rows(images), n);
        double bestScore = Double.MAX_VALUE;
        double bestForward = Double.MAX_VALUE;
        double sink = 0;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += 256) {
                int k = Math.min(256, n - from);
                sink += onnx.forward(Arrays.copyOfRange(inputs, from * size, (from + k) * size), k)
                        .probabilities()[0][0];
            }
            long t1 = System.nanoTime();
            sink += scorer.scores(inputs, rows)[0];
            long t2 = System.nanoTime();
            if (round > 0) {
                bestForward = Math.min(bestForward, (t1 - t0) / 1e3 / n);
                bestScore = Math.min(bestScore, (t2 - t1) / 1e3 / n);
            }
        }
        return String.format(Locale.ROOT, "Cost per image (%d images, fastest of 3 rounds): the served score %.1f us "
                + "(one thread), the ONNX forward pass %.1f us (batches of 256, the engine's threads)%s%n", n, bestScore, bestForward,
                sink == 42 ? " " : "");
    }

    private static List<Candidate> candidates(OodReference parts, OodReference served, Scored held,
                                              double percentile) {
        List<Candidate> out = new ArrayList<>();
        Function<Scored, double[]> msp = s -> Arrays.stream(s.forward().probabilities())
                .mapToDouble(p -> 1 - max(p)).toArray();
        out.add(new Candidate("max softmax (1 - p)", msp, OodFit.quantile(msp.apply(held), percentile)));
        for (String c : OodScorer.COMPONENTS) {
            if (reference(parts, List.of(c), held, percentile) != null) {
                Function<Scored, double[]> raw = s -> OodScorer.raw(parts, c, s.inputs(), rows(s));
                out.add(new Candidate(c, raw, OodFit.quantile(raw.apply(held), percentile)));
            }
        }
        for (List<String> combination : COMBINATIONS) {
            OodReference r = reference(parts, combination, held, percentile);
            if (r != null && r.scales().size() == combination.size()) {
                out.add(candidate("max-z " + String.join("+", combination), r));
            }
        }
        for (Map<String, Double> split : SPLITS) {
            List<String> pair = List.of(OodScorer.ENERGY, OodScorer.PIXEL_DEVIATION);
            OodReference r = reference(parts, pair, split, held, percentile);
            if (r != null && r.scales().size() == pair.size()) {
                out.add(candidate("max-z energy+pixel-deviation, scaled at " + split, r));
            }
        }
        if (served.percentile() == percentile) {
            out.add(candidate("served", served));
        } else { // the served components and split, their threshold at this report's percentile
            OodReference r = reference(parts, served.scales().stream().map(OodReference.Scale::component).toList(),
                    OodFit.Settings.DEFAULTS.scaleQuantiles(), held, percentile);
            out.add(candidate(String.format(Locale.ROOT, "served at p%.0f", percentile * 100), r));
        }
        return out;
    }

    private static OodReference reference(OodReference parts, List<String> components, Scored held,
                                          double percentile) {
        return reference(parts, components, Map.of(), held, percentile);
    }

    private static OodReference reference(OodReference parts, List<String> components, Map<String, Double> quantiles,
                                          Scored held, double percentile) {
        return OodFit.serve(parts, components, quantiles, held.inputs(), rows(held), held.count(), percentile,
                held.count());
    }

    private static Candidate candidate(String name, OodReference r) {
        return new Candidate(name, s -> {
            try (OodScorer scorer = new OodScorer(r)) {
                return scorer.scores(s.inputs(), rows(s));
            }
        }, r.threshold());
    }

    private static float[][] rows(Scored s) {
        return s.forward().embeddings() == null ? new float[s.count()][] : s.forward().embeddings();
    }

    private static String describe(Map<String, List<byte[]>> sets) {
        List<String> parts = new ArrayList<>();
        sets.forEach((k, v) -> parts.add(k + " " + v.size()));
        return String.join(", ", parts);
    }

    private static String table(List<Candidate> candidates, Scored ordinary, Map<String, Scored> sets) {
        List<String> header = new ArrayList<>(List.of("score", "threshold", "ordinary flagged"));
        sets.keySet().forEach(header::add);
        header.addAll(List.of("all other", "set mean", "AUROC"));
        Table t = new Table(header.toArray(String[]::new));
        for (Candidate c : candidates) {
            double[] base = c.score().apply(ordinary);
            List<Object> cells = new ArrayList<>(List.of(c.name(), String.format(Locale.ROOT, "%.4g", c.threshold()),
                    percent(flagged(base, c.threshold()))));
            List<double[]> all = new ArrayList<>();
            double sum = 0;
            int nonEmpty = 0;
            for (Scored s : sets.values()) {
                double[] scores = c.score().apply(s);
                double share = flagged(scores, c.threshold());
                cells.add(percent(share));
                if (!Double.isNaN(share)) {
                    sum += share;
                    nonEmpty++;
                }
                all.add(scores);
            }
            double[] pooled = all.stream().flatMapToDouble(Arrays::stream).toArray();
            cells.add(percent(flagged(pooled, c.threshold())));
            cells.add(percent(nonEmpty == 0 ? Double.NaN : sum / nonEmpty));
            cells.add(String.format(Locale.ROOT, "%.3f", auroc(base, pooled)));
            t.row(cells.toArray());
        }
        return t.render();
    }

    private static double max(float[] p) {
        double m = 0;
        for (float v : p) {
            m = Math.max(m, v);
        }
        return m;
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

    /** Every image that decodes, through the served preprocessing and ONNX Runtime. */
    private static Scored score(ImageClassifier onnx, ImagePreprocessor prep, List<byte[]> files) {
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
        float[] all = new float[n * size];
        float[][] p = new float[n][];
        float[][] e = new float[n][];
        boolean embeddings = true;
        for (int from = 0; from < n; from += 256) {
            int k = Math.min(256, n - from);
            for (int i = 0; i < k; i++) {
                System.arraycopy(inputs.get(from + i), 0, all, (from + i) * size, size);
            }
            Forward f = onnx.forward(Arrays.copyOfRange(all, from * size, (from + k) * size), k);
            System.arraycopy(f.probabilities(), 0, p, from, k);
            if (f.hasEmbeddings()) {
                System.arraycopy(f.embeddings(), 0, e, from, k);
            } else {
                embeddings = false;
            }
        }
        return new Scored(all, new Forward(p, embeddings ? e : null));
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

    /** The bundle file if given, else the newest bundle of {@code model} in {@code storeDir}. */
    static ModelBundle bundle(Optional<Path> file, Path storeDir, String model) throws IOException {
        if (file.isPresent()) {
            return ModelBundles.read(file.get());
        }
        ModelStore store = new ModelStore(storeDir);
        StoredModel stored = store.latest(model).orElseThrow(() -> new IllegalArgumentException("no model '"
                + model + "' in " + storeDir + ": run ./argus pretrain first, or give --bundle"));
        return store.load(stored);
    }
}
