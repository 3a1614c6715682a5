package io.argus.tools.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.bench.Timing;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.InputSpec;
import io.argus.common.model.Flops;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelMetrics;
import io.argus.common.onnx.OnnxParity;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.networks.FashionResNet;
import io.argus.learning.pruning.IterativePruning;
import io.argus.learning.pruning.PruneOptions;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

/**
 * What pruning after training buys, measured: the project's CNN and a small residual network are
 * trained on Fashion-MNIST, pruned by the same schedule a training run uses, and compared before
 * and after on the full test split (accuracy, macro F1) and on the serving engine (ONNX Runtime,
 * model-only images/s, median of timed rounds). Prints one table and whether the targets
 * (half the parameters, at most one point of accuracy, 1.5x throughput) were met.
 */
public final class PruneReport implements CommandLine.Report<PruneReport.Options> {

    /** Options; see {@link #USAGE}. */
    public record Options(Optional<Path> data, int trainImages, int validationImages, int epochs, List<String> models,
                          PruneOptions prune, List<Integer> batches, double seconds, long seed) {
    }

    public static final String USAGE = """
            prune-report [options]   models before and after pruning: size, accuracy, macro F1, images/s
              --models LIST        fashion-cnn,fashion-resnet (default both)
              --data DIR           Fashion-MNIST directory (default: Debian's if installed, else the bundled subset)
              --train N            training images (default 20000; the validation images follow them)
              --validation N       validation images the tolerance is checked on (default 5000)
              --epochs N           training epochs before pruning (default 6)
              --target X           fraction of parameters to remove, in (0, 1) (default 0.5)
              --measure M          params or flops: what the target counts (default params)
              --tolerance X        most validation accuracy pruning may cost (default 0.01 = one point)
              --step X             fraction of filters one step removes (default 0.2)
              --recovery-epochs N  fine-tuning epochs after each step (default 3)
              --channel-multiple N channel counts kept are multiples of N, below it powers of two
                                   (default 16; 1: exactly the fraction asked)
              --batches LIST       batch sizes timed on ONNX Runtime (default 1,32)
              --seconds S          timing per model and batch size, in 5 alternating rounds (default 5)
              --seed N             seed of initialisation and shuffling (default 7)""";

    private static final List<String> MODELS = List.of("fashion-cnn", "fashion-resnet");
    private static final int ALTERNATIONS = 5;

    private final Progress out;

    public PruneReport(Progress out) {
        this.out = out;
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        List<String> models = a.list("--models", MODELS);
        Optional<Path> data = a.path("--data");
        int train = a.integer("--train", 20_000);
        int validation = a.integer("--validation", 5_000);
        int epochs = a.integer("--epochs", 6);
        // Pruning options not given take PruneOptions' defaults.
        PruneOptions prune = PruneOptions.of(a.decimal("--target", 0.5), a.text("--measure").orElse(null),
                a.decimal("--tolerance").orElse(null), a.decimal("--step").orElse(null),
                a.integer("--recovery-epochs", 3), a.integer("--channel-multiple").orElse(null));
        List<Integer> batches = a.integers("--batches", List.of(1, 32));
        double seconds = a.decimal("--seconds", 5);
        long seed = a.longValue("--seed", 7);
        a.done();
        for (String m : models) {
            if (!MODELS.contains(m)) {
                throw new IllegalArgumentException("unknown model " + m + "; models: " + String.join(", ", MODELS));
            }
        }
        if (train < 100 || validation < 100 || epochs < 1) {
            throw new IllegalArgumentException("--train and --validation need at least 100 images, --epochs at least 1");
        }
        return new Options(data, train, validation, epochs, models, prune, batches, seconds, seed);
    }

    /** One model before or after pruning. */
    private record Measured(String model, long params, long flops, ModelMetrics test, double[] imagesPerSecond) {
    }

    @Override
    public void run(Options o) throws IOException {
        FashionMnist.Data data = FashionMnist.load(o.data());
        int n = Math.min(o.trainImages(), data.train().count() - o.validationImages());
        if (n < 100) {
            throw new IllegalArgumentException("the training split (" + data.train().count() + " images) is too small"
                    + " for " + o.validationImages() + " validation images");
        }
        TrainingSet train = TrainingSet.of(data.train().first(n), FashionMnist.LABELS, FashionCnn.INPUT);
        TrainingSet validation = TrainingSet.of(data.train().select(IntStream.range(n, n + o.validationImages())
                .toArray()), FashionMnist.LABELS, FashionCnn.INPUT);
        TrainingSet test = TrainingSet.of(data.test(), FashionMnist.LABELS, FashionCnn.INPUT);
        out.report(String.format(Locale.ROOT, "Fashion-MNIST (%s): %d training, %d validation, %d test images. %s.",
                data.source(), train.count(), validation.count(), test.count(), o.prune()));

        List<Measured[]> rows = new ArrayList<>();
        for (String name : o.models()) {
            Model net = name.equals("fashion-cnn") ? FashionCnn.build(10, o.seed(), 1e-3)
                    : FashionResNet.build(10, o.seed(), 1e-3);
            out.report(name + ": training " + o.epochs() + " epochs");
            new Fitter().fit(net, train, validation, new Fitter.Settings(o.epochs(), 32, o.epochs(), o.seed(), null),
                    "train", e -> out.report(String.format(Locale.ROOT,
                            "  epoch %d/%d: loss %.4f, validation accuracy %.4f (%.0f images/s)", e.epoch(),
                            e.maxEpochs(), e.trainLoss(), e.validationAccuracy(), e.imagesPerSecond())));
            IterativePruning.Result pruned = new IterativePruning(line -> out.report("  " + line)).run(net,
                    FashionCnn.INPUT, train, validation, o.prune(),
                    new Fitter.Settings(1, 32, 1, 0, o.seed(), null),
                    e -> out.report(String.format(Locale.ROOT, "    recovery: loss %.4f, validation accuracy %.4f",
                            e.trainLoss(), e.validationAccuracy())));
            rows.add(measure(name, net, pruned.network(), test, o));
        }
        print(rows, o);
    }

    /**
     * Accuracy of both, then their speed on ONNX Runtime in alternating rounds (before, after,
     * before, ...; the median of each), so drift on a shared machine does not favour either.
     */
    private Measured[] measure(String name, Model before, Model after, TrainingSet test, Options o) {
        InputSpec spec = FashionCnn.INPUT;
        int maxBatch = o.batches().stream().mapToInt(Integer::intValue).max().orElse(1);
        float[] input = new float[maxBatch * spec.size()];
        Random random = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        double[][] rates = new double[2][o.batches().size()];
        try (OnnxClassifier b = classifier(name, before); OnnxClassifier a = classifier(name + " pruned", after)) {
            OnnxClassifier[] both = {b, a};
            for (int k = 0; k < o.batches().size(); k++) {
                int batch = o.batches().get(k);
                double[][] rounds = new double[2][ALTERNATIONS];
                for (int r = 0; r < ALTERNATIONS; r++) {
                    for (int m = 0; m < 2; m++) {
                        OnnxClassifier c = both[m];
                        rounds[m][r] = Timing.run(() -> c.classify(input, batch), batch, o.seconds() / ALTERNATIONS)
                                .perSecond();
                    }
                }
                for (int m = 0; m < 2; m++) {
                    Arrays.sort(rounds[m]);
                    rates[m][k] = rounds[m][ALTERNATIONS / 2];
                }
            }
        }
        return new Measured[] {measured(name, before, test, rates[0], o), measured(name + " pruned", after, test,
                rates[1], o)};
    }

    private static OnnxClassifier classifier(String name, Model net) {
        return new OnnxClassifier(new ModelId(name, 0), FashionCnn.INPUT, FashionMnist.LABELS,
                OnnxParity.exportChecked(net, FashionCnn.INPUT), OnnxSettings.CPU);
    }

    private Measured measured(String name, Model net, TrainingSet test, double[] rates, Options o) {
        ModelMetrics metrics = Evaluator.evaluate(net, test);
        long flops = Flops.perImage(net, FashionCnn.INPUT);
        out.report(String.format(Locale.ROOT, "  %s: %,d parameters, %.2f MFLOPs/image, test accuracy %.4f,"
                        + " macro F1 %.4f, ONNX Runtime %s images/s (batch %s)", name, net.numParams(), flops / 1e6,
                metrics.accuracy(), metrics.macroF1(),
                Arrays.stream(rates).mapToObj(r -> String.format(Locale.ROOT, "%,.0f", r)).toList(), o.batches()));
        return new Measured(name, net.numParams(), flops, metrics, rates);
    }

    private void print(List<Measured[]> rows, Options o) {
        StringBuilder header = new StringBuilder("| model | parameters | MFLOPs/image | test accuracy | macro F1 |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|");
        for (int b : o.batches()) {
            header.append(" ORT images/s b").append(b).append(" |");
            rule.append("---|");
        }
        out.report("");
        out.report(header.toString());
        out.report(rule.toString());
        for (Measured[] pair : rows) {
            for (Measured m : pair) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.4f | %.4f |",
                        m.model(), m.params(), m.flops() / 1e6, m.test().accuracy(), m.test().macroF1()));
                for (double r : m.imagesPerSecond()) {
                    line.append(String.format(Locale.ROOT, " %,.0f |", r));
                }
                out.report(line.toString());
            }
            Measured b = pair[0];
            Measured a = pair[1];
            StringBuilder change = new StringBuilder(String.format(Locale.ROOT,
                    "| change | %+.0f%% | %+.0f%% | %+.2f points | %+.2f points |",
                    100.0 * (a.params() - b.params()) / b.params(), 100.0 * (a.flops() - b.flops()) / b.flops(),
                    100 * (a.test().accuracy() - b.test().accuracy()), 100 * (a.test().macroF1() - b.test().macroF1())));
            for (int i = 0; i < b.imagesPerSecond().length; i++) {
                change.append(String.format(Locale.ROOT, " x%.2f |", a.imagesPerSecond()[i] / b.imagesPerSecond()[i]));
            }
            out.report(change.toString());
        }
        out.report("");
        for (Measured[] pair : rows) {
            Measured b = pair[0];
            Measured a = pair[1];
            double removed = 1 - (double) a.params() / b.params();
            double lost = 100 * (b.test().accuracy() - a.test().accuracy());
            double speedup = a.imagesPerSecond()[a.imagesPerSecond().length - 1]
                    / b.imagesPerSecond()[b.imagesPerSecond().length - 1];
            out.report(String.format(Locale.ROOT, "%s: %.0f%% fewer parameters (target 50%%: %s), %.2f points of"
                            + " accuracy lost (target at most 1: %s), x%.2f images/s at batch %d (target 1.5: %s)",
                    b.model(), 100 * removed, removed >= 0.5 ? "met" : "not met", lost, lost <= 1 ? "met" : "not met",
                    speedup, o.batches().get(o.batches().size() - 1), speedup >= 1.5 ? "met" : "not met"));
        }
    }
}
