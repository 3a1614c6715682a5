package io.argus.learning.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Networks;

class TransferTest {

    @Test
    void frozenAdaptationFreezesTheFeatureExtractorAndLeavesTheHeadTrainable() {
        MultiLayerNetwork base = FashionCnn.build(5, 1, 1e-3);

        Model frozen = Transfer.adapt(base, Architecture.FASHION_CNN, 5, 5, 5, "pool2", 1e-3, 1);

        Layer[] layers = Networks.layers(frozen);
        int end = index(base, "pool2");
        for (int i = 0; i <= end; i++) {
            assertThat(layers[i]).as("layer " + i).isInstanceOf(FrozenLayer.class);
        }
        assertThat(layers[end + 1]).isNotInstanceOf(FrozenLayer.class);
        assertThat(Networks.trainableParams(frozen)).isLessThan(base.numParams()).isGreaterThan(0);
    }

    @Test
    void aNewClassResizesTheHeadAndKeepsTheWeightsOfTheKnownClasses() {
        MultiLayerNetwork base = FashionCnn.build(3, 2, 1e-3);

        Model grown = Transfer.adapt(base, Architecture.FASHION_CNN, 3, 4, 3, "pool2", 1e-3, 2);

        int head = index(base, "output");
        INDArray oldW = base.getLayer(head).getParam("W");
        INDArray newW = Networks.layers(grown)[head].getParam("W");
        assertThat(newW.shape()).containsExactly(64, 4);
        assertThat(newW.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3))).isEqualTo(oldW);
        assertThat(Networks.layers(grown)[head].getParam("b").length()).isEqualTo(4);
    }

    @Test
    void aNewTaskWithAsManyClassesAsTheBaseStillGetsANewHead() {
        MultiLayerNetwork base = FashionCnn.build(5, 2, 1e-3);

        Model sameTask = Transfer.adapt(base, Architecture.FASHION_CNN, 5, 5, 5, "pool2", 1e-3, 2);
        Model newTask = Transfer.adapt(base, Architecture.FASHION_CNN, 5, 5, 0, "pool2", 1e-3, 2);

        int head = index(base, "output");
        INDArray baseHead = base.getLayer(head).getParam("W");
        assertThat(Networks.layers(sameTask)[head].getParam("W")).isEqualTo(baseHead);
        assertThat(Networks.layers(newTask)[head].getParam("W")).isNotEqualTo(baseHead);
    }

    @Test
    void adaptingATrainedChampionWithoutTrainingChangesNoPrediction() throws Exception {
        MultiLayerNetwork champion = FashionCnn.build(10, 3, 1e-3);
        var data = io.argus.common.dataset.FashionMnist.loadSubset();
        var train = io.argus.learning.training.TrainingSet.of(data.train().first(600),
                io.argus.common.dataset.FashionMnist.LABELS, FashionCnn.INPUT);
        new io.argus.learning.training.Fitter().fit(champion, train, null,
                new io.argus.learning.training.Fitter.Settings(1, 32, 1, 1, null), "x", e -> { });
        var test = io.argus.learning.training.TrainingSet.of(data.test().first(200),
                io.argus.common.dataset.FashionMnist.LABELS, FashionCnn.INPUT);

        Model frozen = Transfer.adapt(champion, Architecture.FASHION_CNN, 10, 10, 10, "pool2", 5e-5, 3);
        Model fineTune = Transfer.adapt(champion, Architecture.FASHION_CNN, 10, 10, 10, "pool1", 1e-5, 3);
        Model stored = Transfer.unfrozen(champion, Architecture.FASHION_CNN, 10, 10, fineTune, 3);

        float[][] expected = io.argus.learning.training.Evaluator.predict(champion, test);
        for (Model m : List.of(frozen, fineTune, stored)) {
            float[][] actual = io.argus.learning.training.Evaluator.predict(m, test);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void adaptingNeverChangesTheBase() {
        MultiLayerNetwork base = FashionCnn.build(3, 2, 1e-3);
        INDArray before = base.params().dup();

        Model adapted = Transfer.adapt(base, Architecture.FASHION_CNN, 3, 3, 3, null, 1e-3, 2);
        adapted.params().addi(1);

        assertThat(base.params()).isEqualTo(before);
    }

    @Test
    void theStoredResultHasNothingFrozen() {
        MultiLayerNetwork base = FashionCnn.build(3, 2, 1e-3);
        Model frozen = Transfer.adapt(base, Architecture.FASHION_CNN, 3, 3, 3, "pool2", 1e-3, 2);

        Model clean = Transfer.unfrozen(base, Architecture.FASHION_CNN, 3, 3, frozen, 2);

        assertThat(List.of(Networks.layers(clean))).noneMatch(l -> l instanceof FrozenLayer);
        assertThat(clean.params()).isEqualTo(frozen.params());
    }

    @Test
    void anUnknownLayerNameIsAClearError() {
        MultiLayerNetwork base = FashionCnn.build(3, 2, 1e-3);

        assertThatThrownBy(() -> Transfer.adapt(base, Architecture.FASHION_CNN, 3, 3, 3, "conv9", 1e-3, 2))
                .hasMessageContaining("no layer named 'conv9'");
    }

    private static int index(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("no layer " + name);
    }
}
