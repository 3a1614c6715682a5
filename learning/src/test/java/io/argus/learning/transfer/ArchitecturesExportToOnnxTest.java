package io.argus.learning.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.model.ModelId;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.onnx.OnnxExporter;
import io.argus.common.onnx.OnnxParity;
import io.argus.common.engine.OnnxSettings;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.TrainingSet;

/** The networks the trainer really produces compute the same in ONNX Runtime as in DL4J. */
class ArchitecturesExportToOnnxTest {

    @Test
    void theProjectsCnnAfterTrainingGivesTheSamePredictionsOnRealImages() throws Exception {
        MultiLayerNetwork net = FashionCnn.build(10, 3, 1e-3);
        var data = FashionMnist.loadSubset();
        TrainingSet train = TrainingSet.of(data.train().first(600), FashionMnist.LABELS, FashionCnn.INPUT);
        new Fitter().fit(net, train, null, new Fitter.Settings(1, 32, 1, 1, null), "x", e -> { });
        TrainingSet test = TrainingSet.of(data.test().first(100), FashionMnist.LABELS, FashionCnn.INPUT);

        byte[] onnx = OnnxParity.exportChecked(net, FashionCnn.INPUT);

        float[][] expected = Evaluator.predict(net, test);
        try (OnnxClassifier engine = new OnnxClassifier(new ModelId("cnn", 1), FashionCnn.INPUT, FashionMnist.LABELS,
                onnx, OnnxSettings.CPU)) {
            float[][] actual = engine.classify(test.inputs(), test.count());
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void aNetworkInTheMiddleOfTransferWithFrozenLayersExports() {
        MultiLayerNetwork base = FashionCnn.build(5, 4, 1e-3);
        randomiseNormalisation(base, 4);
        Model frozen = Transfer.adapt(base, Architecture.FASHION_CNN, 5, 6, 5, "pool2", 1e-3, 4);

        assertThat(OnnxParity.relativeError(frozen, OnnxExporter.export(frozen, FashionCnn.INPUT), FashionCnn.INPUT,
                4, 4)).isLessThan(OnnxParity.TOLERANCE);
    }

    @Test
    void theZooResNet50ExportsWithinTolerance() {
        ComputationGraph resnet = ZooModels.random(Architecture.RESNET50, 10, 5);
        randomiseNormalisation(resnet, 5);

        double error = OnnxParity.relativeError(resnet, OnnxExporter.export(resnet, Architecture.RESNET50.input()),
                Architecture.RESNET50.input(), 2, 5);

        assertThat(error).isLessThan(OnnxParity.TOLERANCE);
    }

    /** Fresh batch-norm layers are the identity (mean 0, variance 1), which would hide mistakes. */
    private static void randomiseNormalisation(Model net, long seed) {
        Random random = new Random(seed);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            String key = e.getKey().substring(e.getKey().lastIndexOf('_') + 1);
            if (List.of("mean", "beta", "gamma", "var", "log10stdev").contains(key)) {
                INDArray p = e.getValue();
                for (long i = 0; i < p.length(); i++) {
                    double v = switch (key) {
                        case "gamma", "var" -> 0.5 + random.nextDouble();
                        case "log10stdev" -> (random.nextDouble() - 0.5) * 0.4;
                        default -> random.nextGaussian() * 0.2;
                    };
                    p.putScalar(i, v);
                }
            }
        }
    }
}
