package io.argus.learning.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.argus.common.model.Flops;
import io.argus.common.onnx.OnnxParity;
import io.argus.learning.networks.FashionCnn;

class FilterPrunerTest {

    private static final INDArray IMAGES = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1, 28, 28);

    @Test
    void keepingEveryFilterChangesNothing() {
        MultiLayerNetwork net = FashionCnn.build(10, 7, 1e-3);

        MultiLayerNetwork same = FilterPruner.prune(net, Map.of("conv1", 1.0, "conv2", 1.0));

        assertThat(same.numParams()).isEqualTo(net.numParams());
        assertThat(same.output(IMAGES).equalsWithEps(net.output(IMAGES), 1e-6)).isTrue();
    }

    @Test
    void filtersThatContributeNothingArePrunedFirstAndTheOutputsStayTheSame() {
        MultiLayerNetwork net = FashionCnn.build(10, 7, 1e-3);
        // Half the filters of both convolutions produce exact zeros after batch norm and ReLU: their
        // L1 norm is 0, so they are the ones pruned, and nothing downstream may notice.
        silence(net, "conv1", "bn1", new int[] {1, 3, 4, 6, 9, 10, 12, 15});
        silence(net, "conv2", "bn2", java.util.stream.IntStream.range(0, 32).filter(i -> i % 2 == 0).toArray());
        INDArray before = net.output(IMAGES);

        MultiLayerNetwork pruned = FilterPruner.prune(net, Map.of("conv1", 0.5, "conv2", 0.5));

        assertThat(((ConvolutionLayer) pruned.getLayer("conv1").conf().getLayer()).getNOut()).isEqualTo(8);
        assertThat(((ConvolutionLayer) pruned.getLayer("conv2").conf().getLayer()).getNIn()).isEqualTo(8);
        assertThat(((ConvolutionLayer) pruned.getLayer("conv2").conf().getLayer()).getNOut()).isEqualTo(16);
        assertThat(pruned.numParams()).isLessThan(net.numParams() * 6 / 10);
        assertThat(Flops.perImage(pruned, FashionCnn.INPUT)).as("FLOPs per image")
                .isLessThan(Flops.perImage(net, FashionCnn.INPUT) * 6 / 10);
        assertThat(pruned.output(IMAGES).equalsWithEps(before, 1e-5)).as("same outputs without the silent filters")
                .isTrue();
        // Genuinely smaller, and still exportable: ONNX Runtime agrees with DL4J.
        assertThat(OnnxParity.relativeError(pruned, io.argus.common.onnx.OnnxExporter.export(pruned, FashionCnn.INPUT),
                FashionCnn.INPUT, 4, 1)).isLessThan(OnnxParity.TOLERANCE);
    }

    @Test
    void keptChannelsComeInWholeKernelBlocksOrPowersOfTwoBelowOne() {
        assertThat(FilterPruner.aligned(64, 0.8, 16)).isEqualTo(48);
        assertThat(FilterPruner.aligned(32, 0.8, 16)).isEqualTo(16);
        assertThat(FilterPruner.aligned(16, 0.8, 16)).isEqualTo(8);
        assertThat(FilterPruner.aligned(16, 0.2, 16)).isEqualTo(2);
        assertThat(FilterPruner.aligned(10, 0.01, 16)).isEqualTo(1);
        assertThat(FilterPruner.aligned(64, 1.0, 16)).isEqualTo(64);
        assertThat(FilterPruner.aligned(32, 0.8, 1)).as("exact").isEqualTo(26);
        MultiLayerNetwork net = FashionCnn.build(10, 7, 1e-3);
        MultiLayerNetwork pruned = (MultiLayerNetwork) FilterPruner.prune(net, Map.of("conv1", 0.8, "conv2", 0.8), 16);
        assertThat(((ConvolutionLayer) pruned.getLayer("conv1").conf().getLayer()).getNOut()).isEqualTo(8);
        assertThat(((ConvolutionLayer) pruned.getLayer("conv2").conf().getLayer()).getNOut()).isEqualTo(16);
    }

    @Test
    void badFractionsAndUnsupportedLayersAreRefusedByName() {
        MultiLayerNetwork net = FashionCnn.build(10, 7, 1e-3);
        assertThatThrownBy(() -> FilterPruner.prune(net, Map.of("conv1", 0.0))).hasMessageContaining("conv1")
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> FilterPruner.prune(net, Map.of("conv2", 1.5))).hasMessageContaining("conv2");

        MultiLayerNetwork lrn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c").nOut(4).build())
                .layer(new LocalResponseNormalization.Builder().name("lrn1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        lrn.init();
        assertThatThrownBy(() -> FilterPruner.prune(lrn, Map.of("c", 0.5))).hasMessageContaining("lrn1")
                .hasMessageContaining("LocalResponseNormalization");
    }

    /** Filters whose weights, bias and batch-norm entries are zero: they leave exact zeros behind. */
    static void silence(org.deeplearning4j.nn.api.Model net, String conv, String bn, int[] filters) {
        java.util.function.Function<String, org.deeplearning4j.nn.api.Layer> layer = name ->
                net instanceof MultiLayerNetwork m ? m.getLayer(name)
                        : ((org.deeplearning4j.nn.graph.ComputationGraph) net).getLayer(name);
        for (int f : filters) {
            INDArray w = layer.apply(conv).getParam("W").dup();
            w.get(NDArrayIndex.point(f), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
            layer.apply(conv).setParam("W", w);
            INDArray bias = layer.apply(conv).getParam("b").dup();
            bias.putScalar(f, 0.0);
            layer.apply(conv).setParam("b", bias);
            if (bn == null) {
                continue;
            }
            // gamma = beta = mean = 0: the channel leaves batch norm as exact zeros.
            for (String p : new String[] {"gamma", "beta", "mean"}) {
                INDArray v = layer.apply(bn).getParam(p).dup();
                v.putScalar(f, 0.0);
                layer.apply(bn).setParam(p, v);
            }
        }
    }
}
