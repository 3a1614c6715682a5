package io.argus.tools.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.model.ModelMetrics;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Progress;
import io.argus.learning.training.StableSplit;
import io.argus.learning.training.TrainingSet;
import io.argus.learning.transfer.Architecture;
import io.argus.learning.transfer.BaseNetwork;
import io.argus.learning.transfer.Strategy;
import io.argus.learning.transfer.TransferTrainer;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

/**
 * The experiment behind Argus' training strategy: a base CNN pretrained on five Fashion-MNIST
 * classes, then a new task, the other five classes, learned from only k labels per class by
 * training from scratch, by a frozen feature extractor with a new head, and by fine-tuning.
 * Every strategy sees the same labeled samples and the same validation split (for early
 * stopping), and is scored on the whole test split of the new classes. Repeated over several
 * seeds (different labeled samples); mean and spread are printed.
 */
public final class TransferReport implements CommandLine.Report<TransferReport.Options> {

    /** Options; see {@link #USAGE}. */
    public record Options(int[] shots, int seeds, int baseEpochs, Optional<Path> data,
                          TransferTrainer.Settings settings) {
    }

    public static final String USAGE = """
            report [options]   scratch vs frozen vs finetune on a few-shot Fashion-MNIST task
              --shots LIST       labels per class to try (default 10,50)
              --seeds N          repetitions with different labeled samples (default 3)
              --base-epochs N    epochs of the five-class base model (default 2)
              --data DIR         Fashion-MNIST directory (default: Debian's if installed, else the bundled subset)
              --head-lr X        learning rate of the head and of scratch training (default 0.001)
              --finetune-lr X    learning rate of finetune phase two (default 0.0001)
              --max-epochs N     most epochs per phase (default 30)
              --patience N       early-stopping patience in epochs (default 5)
              --min-steps N      optimizer steps per phase before early stopping may end it (default 300)
              --freeze-up-to L   last frozen layer of frozen / finetune phase one (default pool2)
              --no-augment       train without augmentation""";

    private static final int[] BASE_CLASSES = {0, 1, 2, 3, 4};
    private static final int[] TASK_CLASSES = {5, 6, 7, 8, 9};
    private static final TransferTrainer.Settings SETTINGS =
            new TransferTrainer.Settings(30, 5, 300, 16, 1e-3, 1e-4, true, 0, null);

    private final Progress out;

    public TransferReport(Progress out) {
        this.out = out;
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        int[] shots = a.integers("--shots", List.of(10, 50)).stream().mapToInt(Integer::intValue).toArray();
        int seeds = a.integer("--seeds", 3);
        int baseEpochs = a.integer("--base-epochs", 2);
        Optional<Path> data = a.path("--data");
        double headLr = a.decimal("--head-lr", SETTINGS.headLearningRate());
        double ftLr = a.decimal("--finetune-lr", SETTINGS.fineTuneLearningRate());
        int maxEpochs = a.integer("--max-epochs", SETTINGS.maxEpochs());
        int patience = a.integer("--patience", SETTINGS.patience());
        int minSteps = a.integer("--min-steps", SETTINGS.minSteps());
        String freeze = a.text("--freeze-up-to").orElse(null);
        boolean augment = !a.flag("--no-augment");
        a.done();
        return new Options(shots, seeds, baseEpochs, data, new TransferTrainer.Settings(maxEpochs, patience, minSteps,
                SETTINGS.batchSize(), headLr, ftLr, augment, 0, freeze));
    }

    /** One strategy at one k, over all seeds. */
    private record Row(int shots, Strategy strategy, List<ModelMetrics> metrics, List<Double> seconds, long params) {
    }

    private TransferTrainer.Settings settingsUsed = SETTINGS;

    @Override
    public void run(Options o) throws IOException {
        settingsUsed = o.settings();
        FashionMnist.Data data = FashionMnist.load(o.data());
        List<String> baseLabels = labels(BASE_CLASSES);
        List<String> taskLabels = labels(TASK_CLASSES);
        out.report("Fashion-MNIST (" + data.source() + "). Base: " + baseLabels + ". New task: " + taskLabels + ".");

        TrainingSet baseTrain = TrainingSet.of(only(data.train(), BASE_CLASSES), baseLabels, FashionCnn.INPUT);
        MultiLayerNetwork baseNet = FashionCnn.build(5, 42, 1e-3);
        long t0 = System.nanoTime();
        new Fitter().fit(baseNet, baseTrain, null, new Fitter.Settings(o.baseEpochs(), 64, o.baseEpochs(), 42, null),
                "base", e -> out.report(String.format(Locale.ROOT, "  base epoch %d/%d: loss %.4f (%.0f images/s)",
                        e.epoch(), e.maxEpochs(), e.trainLoss(), e.imagesPerSecond())));
        TrainingSet baseTest = TrainingSet.of(only(data.test(), BASE_CLASSES), baseLabels, FashionCnn.INPUT);
        out.report(String.format(Locale.ROOT, "Base model: %d images, %.0f s, accuracy %.4f on its own five classes",
                baseTrain.count(), (System.nanoTime() - t0) / 1e9, Evaluator.evaluate(baseNet, baseTest).accuracy()));
        BaseNetwork base = new BaseNetwork("five-class base", Architecture.FASHION_CNN, baseNet, baseLabels, 5);

        LabeledImages taskPool = only(data.train(), TASK_CLASSES);
        TrainingSet taskTest = TrainingSet.of(only(data.test(), TASK_CLASSES), taskLabels, FashionCnn.INPUT);
        out.report("New-task test set: " + taskTest.count() + " images.");

        List<Row> rows = new ArrayList<>();
        for (int k : o.shots()) {
            for (Strategy strategy : List.of(Strategy.SCRATCH, Strategy.FROZEN, Strategy.FINETUNE)) {
                rows.add(new Row(k, strategy, new ArrayList<>(), new ArrayList<>(), 0));
            }
            for (int seed = 1; seed <= o.seeds(); seed++) {
                LabeledImages labeled = sample(taskPool, k, seed);
                TrainingSet all = TrainingSet.of(labeled, taskLabels, FashionCnn.INPUT);
                List<Integer> idx = IntStream.range(0, all.count()).boxed().toList();
                String salt = Integer.toString(seed);
                StableSplit.Parts parts = new StableSplit(0.2, 0.0).split(idx, i -> salt + ":" + i);
                TrainingSet train = all.subset(parts.train());
                TrainingSet validation = all.subset(parts.validation());
                for (int r = rows.size() - 3; r < rows.size(); r++) {
                    Row row = rows.get(r);
                    TransferTrainer.Settings c = o.settings();
                    TransferTrainer.Settings s = new TransferTrainer.Settings(c.maxEpochs(), c.patience(), c.minSteps(),
                            c.batchSize(),
                            c.headLearningRate(), c.fineTuneLearningRate(), c.augment(), 1000L * seed + k,
                            c.freezeUpTo());
                    TransferTrainer.Result result = new TransferTrainer().train(base, 0, row.strategy(), train,
                            validation, s, e -> { });
                    ModelMetrics m = Evaluator.evaluate(result.network(), taskTest);
                    row.metrics().add(m);
                    row.seconds().add(result.seconds());
                    rows.set(r, new Row(row.shots(), row.strategy(), row.metrics(), row.seconds(), result.trainableParams()));
                    out.report(String.format(Locale.ROOT, "  k=%d seed %d %-8s accuracy %.4f  macro F1 %.4f  %.1f s  "
                                    + "(%d train, %d validation)", k, seed, row.strategy().id(), m.accuracy(), m.macroF1(),
                            result.seconds(), train.count(), validation.count()));
                }
            }
        }
        table(rows, o.seeds());
    }

    private void table(List<Row> rows, int seeds) {
        out.report("");
        out.report(String.format(Locale.ROOT, "Few-shot transfer on Fashion-MNIST: mean ± std over %d seeds", seeds));
        out.report(String.format(Locale.ROOT, "(head lr %s, fine-tune lr %s, at most %d epochs per phase, patience %d, "
                        + "at least %d steps, frozen up to %s, augmentation %s)", settingsUsed.headLearningRate(),
                settingsUsed.fineTuneLearningRate(), settingsUsed.maxEpochs(), settingsUsed.patience(),
                settingsUsed.minSteps(),
                settingsUsed.freezeUpTo() == null ? Architecture.FASHION_CNN.featureExtractorEnd()
                        : settingsUsed.freezeUpTo(),
                settingsUsed.augment() ? "on" : "off"));
        out.report("| labels/class | strategy | accuracy | macro precision | macro recall | macro F1 | training s | params trained |");
        out.report("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            out.report(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %,d |", r.shots(),
                    r.strategy().id(), stat(r.metrics().stream().mapToDouble(ModelMetrics::accuracy).toArray()),
                    stat(r.metrics().stream().mapToDouble(ModelMetrics::macroPrecision).toArray()),
                    stat(r.metrics().stream().mapToDouble(ModelMetrics::macroRecall).toArray()),
                    stat(r.metrics().stream().mapToDouble(ModelMetrics::macroF1).toArray()),
                    String.format(Locale.ROOT, "%.1f", r.seconds().stream().mapToDouble(Double::doubleValue).average()
                            .orElse(0)), r.params()));
        }
    }

    private static String stat(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean, Math.sqrt(var));
    }

    private static List<String> labels(int[] classes) {
        return IntStream.of(classes).mapToObj(FashionMnist.LABELS::get).toList();
    }

    /** Images of the given classes, relabeled 0..n-1 in that order. */
    static LabeledImages only(LabeledImages images, int[] classes) {
        int[] map = new int[10];
        Arrays.fill(map, -1);
        for (int i = 0; i < classes.length; i++) {
            map[classes[i]] = i;
        }
        int[] picked = IntStream.range(0, images.count()).filter(i -> map[images.labels()[i]] >= 0).toArray();
        LabeledImages s = images.select(picked);
        return new LabeledImages(s.rows(), s.cols(), s.pixels(), IntStream.of(s.labels()).map(l -> map[l]).toArray());
    }

    /** k random images of each class. */
    static LabeledImages sample(LabeledImages pool, int k, long seed) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, pool.count()).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        int[] taken = new int[10];
        List<Integer> picked = new ArrayList<>();
        for (int i : order) {
            if (taken[pool.labels()[i]]++ < k) {
                picked.add(i);
            }
        }
        return pool.select(picked.stream().mapToInt(Integer::intValue).toArray());
    }
}
