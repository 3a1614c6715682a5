package io.argus.common.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.argus.common.engine.OnnxClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.InputSpec;
import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.model.ModelId;

/** The ONNX graph computes what the DL4J network computes, or the export refuses, naming why. */
class OnnxExportTest {

    private static final ModelId ID = new ModelId("parity", 1);

    @Test
    void theProjectsCnnMatchesInOnnxRuntime() {
        assertParity(TestGraphs.projectLikeCnn(1), InputSpec.grey(28, 28));
    }

    @Test
    void everySupportedLayerTypeMatchesInOnnxRuntime() {
        assertParity(TestGraphs.everyLayerType(2), new InputSpec(21, 19, 3, List.of(0.0, 0.0, 0.0),
                List.of(1.0, 1.0, 1.0)));
    }

    @Test
    void aResNetStyleGraphWithResidualAddsMatchesInOnnxRuntime() {
        assertParity(TestGraphs.resNetLike(3), rgb(32));
    }

    @Test
    void aSqueezeNetStyleGraphWithConcatMatchesInOnnxRuntime() {
        assertParity(TestGraphs.squeezeNetLike(4), rgb(33));
    }

    @Test
    void theZooSqueezeNetMatchesInOnnxRuntime() {
        ComputationGraph zoo = SqueezeNet.builder().numClasses(10).seed(5).build().init();
        TestGraphs.randomise(zoo, 5);
        assertParity(zoo, rgb(227));
    }

    @Test
    void parityIsJudgedOnOutputsThatCanTellTranslationsApart() {
        assertThat(OnnxParity.informative(new float[][] {{0.2f, 0.5f, 0.3f}})).isTrue();
        assertThat(OnnxParity.informative(new float[][] {{0f, 1f, 0f}})).as("saturated").isFalse();
        assertThat(OnnxParity.informative(new float[][] {{0.25f, 0.25f, 0.25f, 0.25f}})).as("flat").isFalse();
        assertThat(OnnxParity.informative(new float[][] {{3.5f, -1f}})).as("raw scores").isTrue();
    }

    @Test
    void anUnsupportedLayerFailsTheExportWithItsName() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).build())
                .layer(new LocalResponseNormalization.Builder().name("lrn1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        assertThatThrownBy(() -> OnnxExporter.export(net, InputSpec.grey(8, 8)))
                .isInstanceOf(UnsupportedLayer.class)
                .hasMessageContaining("'lrn1'")
                .hasMessageContaining("LocalResponseNormalization");
    }

    @Test
    void theEngineKeepsGivingTheSameAnswersAsBatchSizesChange() {
        MultiLayerNetwork net = TestGraphs.projectLikeCnn(6);
        InputSpec spec = InputSpec.grey(28, 28);
        float[] images = random(9 * spec.size(), 6);
        try (OnnxClassifier engine = new OnnxClassifier(ID, spec, List.of("a", "b", "c", "d", "e"),
                OnnxExporter.export(net, spec), OnnxSettings.CPU)) {
            float[][] all = engine.classify(images, 9);
            float[][] two = engine.classify(images, 2);
            float[] last = java.util.Arrays.copyOfRange(images, 8 * spec.size(), 9 * spec.size());
            float[][] one = engine.classify(last, 1);

            assertThat(two).hasDimensions(2, 5);
            assertThat(two[1]).containsExactly(all[1]);
            assertThat(one[0]).containsExactly(all[8]);
            assertThat(engine.device()).isEqualTo("CPU");
        }
    }

    @Test
    void exportCheckedRefusesAGraphThatDiffers() {
        MultiLayerNetwork net = TestGraphs.projectLikeCnn(7);
        InputSpec spec = InputSpec.grey(28, 28);
        byte[] onnx = OnnxExporter.export(net, spec);
        // The same network with different weights stands in for a wrong translation.
        MultiLayerNetwork other = TestGraphs.projectLikeCnn(8);

        assertThat(OnnxParity.relativeError(other, onnx, spec, 4, 1)).isGreaterThan(OnnxParity.TOLERANCE);
        assertThat(OnnxParity.exportChecked(net, spec)).isNotEmpty();
    }

    private static void assertParity(Model net, InputSpec spec) {
        byte[] onnx = OnnxExporter.export(net, spec);
        float[] input = random(4 * spec.size(), 11);
        float[][] expected = new Dl4jClassifier(ID, spec, List.of(), net).classify(input, 4);
        try (OnnxClassifier engine = new OnnxClassifier(ID, spec, List.of(), onnx, OnnxSettings.CPU)) {
            float[][] actual = engine.classify(input, 4);
            assertThat(OnnxParity.informative(expected)).as("outputs that can tell a wrong translation").isTrue();
            assertThat(actual).hasDimensions(expected.length, expected[0].length);
            double scale = 0;
            double diff = 0;
            for (int r = 0; r < expected.length; r++) {
                for (int c = 0; c < expected[r].length; c++) {
                    scale = Math.max(scale, Math.abs(expected[r][c]));
                    diff = Math.max(diff, Math.abs(expected[r][c] - actual[r][c]));
                }
            }
            assertThat(diff / scale).as("largest difference %s of outputs up to %s", diff, scale)
                    .isLessThan(OnnxParity.TOLERANCE);
        }
        assertThat(OnnxParity.relativeError(net, onnx, spec, 3, 99)).isLessThan(OnnxParity.TOLERANCE);
    }

    private static InputSpec rgb(int size) {
        return new InputSpec(size, size, 3, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
