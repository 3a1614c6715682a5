package io.argus.learning.pretrain;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.DriftReference;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.ModelStore;
import io.argus.common.model.Provenance;
import io.argus.common.model.StoredModel;
import io.argus.common.nd4j.OneDnn;
import io.argus.common.ood.OodFit;
import io.argus.common.model.OodReference;
import io.argus.learning.training.ConsoleProgress;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.transfer.Architecture;
import java.util.Arrays;
import java.util.Optional;

/**
 * Trains {@link FashionCnn} from scratch on Fashion-MNIST, evaluates it on the test split and
 * writes it to the model store as the next version: the base model Argus serves first and the
 * source model transfer learning starts from.
 */
public final class Pretrainer {

    private final Progress progress;

    public Pretrainer(Progress progress) {
        this.progress = progress;
    }

    public StoredModel run(PretrainOptions options) throws IOException {
        if (options.ifMissing()) {
            Optional<StoredModel> existing = new ModelStore(options.store()).latest(options.name());
            if (existing.isPresent()) {
                progress.report("The store already holds " + existing.get().id() + "; nothing to do (--if-missing).");
                return existing.get();
            }
        }
        long start = System.nanoTime();
        FashionMnist.Data data = FashionMnist.load(options.data());
        List<String> labels = FashionMnist.LABELS;
        LabeledImages train = data.train();
        LabeledImages test = data.test();
        if (options.classes() != null) {
            labels = IntStream.of(options.classes()).mapToObj(FashionMnist.LABELS::get).toList();
            train = onlyClasses(train, options.classes());
            test = onlyClasses(test, options.classes());
        }
        train = train.first(options.limit());
        progress.report(String.format(Locale.ROOT, "Pretraining %s on Fashion-MNIST (%s): %d training and %d test "
                        + "images, %d classes, %d epochs, batch %d", options.name(), data.source(), train.count(),
                test.count(), labels.size(), options.epochs(), options.batchSize()));

        TrainingSet trainSet = TrainingSet.of(train, labels, FashionCnn.INPUT);
        TrainingSet testSet = TrainingSet.of(test, labels, FashionCnn.INPUT);
        MultiLayerNetwork net = FashionCnn.build(labels.size(), options.seed(), options.learningRate());
        progress.report(OneDnn.describe() + "; " + net.numParams() + " parameters");

        long trainStart = System.nanoTime();
        // No early stopping: the base model trains for the epochs asked; the test split is only reported.
        new Fitter().fit(net, trainSet, testSet,
                new Fitter.Settings(options.epochs(), options.batchSize(), options.epochs(), options.seed(), null),
                "pretrain", new ConsoleProgress(progress, "test"));
        double trainingSeconds = (System.nanoTime() - trainStart) / 1e9;
        float[][] testProbabilities = Evaluator.predict(net, testSet);
        ModelMetrics metrics = Evaluator.evaluate(testSet, testProbabilities);
        // What its answers look like on the test split: the reference of drift per sensor in serving.
        // and its embedding on the same images: the reference of drift's embedding part.
        DriftReference drift = DriftReference.of(testProbabilities,
                OodFit.embeddings(net, FashionCnn.INPUT, testSet.inputs(), testSet.count()),
                "Fashion-MNIST test split (" + data.source() + ")");

        ModelStore store = new ModelStore(options.store());
        int version = store.nextVersion(options.name());
        BundleManifest manifest = BundleManifest.builder(options.name(), version, labels, FashionCnn.INPUT)
                .provenance(Provenance.builder().base("scratch").strategy("pretrain")
                        .dataset("Fashion-MNIST (" + data.source() + ")").samples(train.count(), 0, test.count())
                        .training(options.epochs(), trainingSeconds).architecture(Architecture.FASHION_CNN.name())
                        .trainableParams(net.numParams()).baseData(FashionMnist.ID).build())
                .metrics(metrics).driftReference(drift).ood(ood(net, trainSet, testSet)).build();
        StoredModel stored = store.save(ExportedBundles.of(manifest, net));
        progress.report(String.format(Locale.ROOT,
                "Pretrained %s v%d: test accuracy %.4f, macro F1 %.4f, training %.0f s (%.0f s in all). Bundle %s "
                        + "(%d bytes, sha256 %s)", options.name(), version, metrics.accuracy(), metrics.macroF1(),
                trainingSeconds, (System.nanoTime() - start) / 1e9, stored.file(), stored.sizeBytes(), stored.sha256()));
        return stored;
    }

    /**
     * The base model's out-of-distribution statistics: class means and covariance on its training
     * images, the threshold on the first half of the test split (no image of the training split is
     * held out from the base model; {@code ./argus ood-report} measures on the second half).
     */
    static OodReference ood(MultiLayerNetwork net, TrainingSet train, TrainingSet test) {
        return OodFit.fit(net, FashionCnn.INPUT, train.inputs(), train.classes(), train.labels().size(), test.inputs(),
                test.count() / 2, OodFit.Settings.DEFAULTS);
    }

    /** The images of the given classes, relabeled 0..k-1 in the order the classes are given. */
    static LabeledImages onlyClasses(LabeledImages images, int[] classes) {
        List<Integer> keep = new ArrayList<>();
        int[] newLabel = new int[256];
        Arrays.fill(newLabel, -1);
        for (int k = 0; k < classes.length; k++) {
            newLabel[classes[k]] = k;
        }
        for (int i = 0; i < images.count(); i++) {
            if (newLabel[images.labels()[i]] >= 0) {
                keep.add(i);
            }
        }
        LabeledImages selected = images.select(keep.stream().mapToInt(Integer::intValue).toArray());
        int[] relabeled = IntStream.of(selected.labels()).map(l -> newLabel[l]).toArray();
        return new LabeledImages(selected.rows(), selected.cols(), selected.pixels(), relabeled);
    }
}
