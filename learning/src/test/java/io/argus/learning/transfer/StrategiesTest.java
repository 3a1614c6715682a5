package io.argus.learning.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

/** The three strategies on a small few-shot task: each trains what it should and learns something. */
class StrategiesTest {

    private static BaseNetwork base;
    private static TrainingSet train;
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
        train = TrainingSet.of(only(data.train(), 5, 10, 100), taskLabels, FashionCnn.INPUT);
        test = TrainingSet.of(only(data.test(), 5, 10, 400), taskLabels, FashionCnn.INPUT);
    }

    @Test
    void frozenTrainsOnlyTheHead() {
        TransferTrainer.Result r = new TransferTrainer().train(base, 0, Strategy.FROZEN, train, test, SETTINGS, QUIET);

        assertThat(r.trainableParams()).isLessThan(((Model) base.network()).numParams());
        assertThat(outputs(r.network())).isEqualTo(5);
        assertThat(accuracy(r.network())).as("five classes: chance is 0.2").isGreaterThan(0.4);
    }

    @Test
    void finetuneTrainsMoreThanFrozenAndScratchTrainsEverything() {
        TransferTrainer.Result frozen = new TransferTrainer().train(base, 0, Strategy.FROZEN, train, test, SETTINGS, QUIET);
        TransferTrainer.Result finetune = new TransferTrainer().train(base, 0, Strategy.FINETUNE, train, test, SETTINGS,
                QUIET);
        TransferTrainer.Result scratch = new TransferTrainer().train(base, 0, Strategy.SCRATCH, train, test, SETTINGS,
                QUIET);

        assertThat(finetune.trainableParams()).isGreaterThan(frozen.trainableParams());
        assertThat(scratch.trainableParams()).isEqualTo(((Model) scratch.network()).numParams());
        assertThat(accuracy(finetune.network())).isGreaterThan(0.4);
        assertThat(accuracy(scratch.network())).isGreaterThan(0.2);
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
        int[] counts = new int[10];
        int[] picked = IntStream.range(0, images.count())
                .filter(i -> images.labels()[i] >= from && images.labels()[i] < to && counts[images.labels()[i]]++ < perClass)
                .toArray();
        LabeledImages s = images.select(picked);
        return new LabeledImages(s.rows(), s.cols(), s.pixels(), IntStream.of(s.labels()).map(l -> l - from).toArray());
    }
}
