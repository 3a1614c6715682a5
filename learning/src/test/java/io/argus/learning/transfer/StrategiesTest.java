package io.argus.learning.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.model.ModelMetrics;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Networks;
import io.argus.learning.training.TrainingSet;

/**
 * The three strategies on a small few-shot task: each trains what it should and learns something,
 * judged on test images that neither training nor early stopping saw (early stopping picks its
 * epoch on a validation set of its own, drawn from other training images).
 */
class StrategiesTest {

    private static BaseNetwork base;
    private static LabeledImages trainImages;
    private static LabeledImages validationImages;
    private static LabeledImages testImages;
    private static TrainingSet train;
    /** What early stopping watches: never scored. */
    private static TrainingSet validation;
    /** What the accuracies are measured on: never trained or early-stopped on. */
    private static TrainingSet test;
    private static final Fitter.Listener QUIET = e -> { };
    private static final TransferTrainer.Settings SETTINGS =
            new TransferTrainer.Settings(4, 4, 0, 16, 1e-3, 1e-4, true, 7, null);

    @BeforeAll
    static void baseOnFiveClassesAndTaskOnTheOtherFive() throws Exception {
        FashionMnist.Data data = FashionMnist.loadSubset();
        List<String> baseLabels = FashionMnist.LABELS.subList(0, 5);
        List<String> taskLabels = FashionMnist.LABELS.subList(5, 10);
        TrainingSet baseTrain = TrainingSet.of(only(data.train(), 0, 5, 2000), baseLabels, FashionCnn.INPUT);
        var net = FashionCnn.build(5, 1, 1e-3);
        new Fitter().fit(net, baseTrain, null, new Fitter.Settings(1, 32, 1, 1, null), "base", QUIET);
        base = new BaseNetwork("test base", Architecture.FASHION_CNN, net, baseLabels, 5);
        trainImages = only(data.train(), 5, 10, 0, 100);
        validationImages = only(data.train(), 5, 10, 100, 100);
        testImages = only(data.test(), 5, 10, 0, 400);
        train = TrainingSet.of(trainImages, taskLabels, FashionCnn.INPUT);
        validation = TrainingSet.of(validationImages, taskLabels, FashionCnn.INPUT);
        test = TrainingSet.of(testImages, taskLabels, FashionCnn.INPUT);
    }

    @Test
    void theImagesScoredAreNeitherTrainedNorEarlyStoppedOn() {
        Set<String> scored = fingerprints(testImages);
        Set<String> trained = fingerprints(trainImages);
        assertThat(shared(fingerprints(validationImages), scored)).as("early stopping's images among those scored")
                .isZero();
        assertThat(shared(fingerprints(validationImages), trained)).as("early stopping's images among those trained on")
                .isZero();
        assertThat(shared(trained, scored)).as("training images among those scored").isZero();
        assertThat(validation.count()).isEqualTo(500);
    }

    @Test
    void frozenTrainsOnlyTheHead() {
        TransferTrainer.Result r = new TransferTrainer().train(base, 0, Strategy.FROZEN, train, validation, SETTINGS, QUIET);

        assertThat(r.trainableParams()).isLessThan(((Model) base.network()).numParams());
        assertThat(outputs(r.network())).isEqualTo(5);
        assertThat(accuracy(r.network())).as("five classes: chance is 0.2").isGreaterThan(0.4);
    }

    @Test
    void finetuneTrainsMoreThanFrozenAndScratchTrainsEverything() {
        TransferTrainer.Result frozen = new TransferTrainer().train(base, 0, Strategy.FROZEN, train, validation, SETTINGS, QUIET);
        TransferTrainer.Result finetune = new TransferTrainer().train(base, 0, Strategy.FINETUNE, train, validation, SETTINGS,
                QUIET);
        TransferTrainer.Result scratch = new TransferTrainer().train(base, 0, Strategy.SCRATCH, train, validation, SETTINGS,
                QUIET);

        assertThat(finetune.trainableParams()).isGreaterThan(frozen.trainableParams());
        assertThat(scratch.trainableParams()).isEqualTo(((Model) scratch.network()).numParams());
        assertThat(accuracy(finetune.network())).isGreaterThan(0.4);
        assertThat(accuracy(scratch.network())).isGreaterThan(0.2);
    }

    private static long shared(Set<String> a, Set<String> b) {
        return a.stream().filter(b::contains).count();
    }

    /** Each image's pixels, as a string: the same picture twice is the same fingerprint. */
    private static Set<String> fingerprints(LabeledImages images) {
        int size = images.rows() * images.cols();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < images.count(); i++) {
            all.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(images.pixels(), i * size, (i + 1) * size)));
        }
        return all;
    }

    private static double accuracy(Model net) {
        ModelMetrics m = Evaluator.evaluate(net, test);
        return m.accuracy();
    }

    private static long outputs(Model net) {
        var layers = Networks.layers(net);
        return layers[layers.length - 1].getParam("b").length();
    }

    /** Images of classes [from, to), relabeled from 0, at most {@code perClass} of each. */
    static LabeledImages only(LabeledImages images, int from, int to, int perClass) {
        return only(images, from, to, 0, perClass);
    }

    /** Images of classes [from, to), relabeled from 0: of each class, the {@code perClass} after the first {@code skip}. */
    static LabeledImages only(LabeledImages images, int from, int to, int skip, int perClass) {
        int[] counts = new int[10];
        int[] picked = IntStream.range(0, images.count())
                .filter(i -> {
                    int label = images.labels()[i];
                    if (label < from || label >= to) {
                        return false;
                    }
                    int n = counts[label]++;
                    return n >= skip && n < skip + perClass;
                })
                .toArray();
        LabeledImages s = images.select(picked);
        return new LabeledImages(s.rows(), s.cols(), s.pixels(), IntStream.of(s.labels()).map(l -> l - from).toArray());
    }
}
