package io.argus.learning.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.argus.common.model.Flops;
import io.argus.common.onnx.OnnxExporter;
import io.argus.common.onnx.OnnxParity;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.networks.FashionResNet;

/** Pruning graphs: residual adds lose the same filters on every side, concatenations keep offsets. */
class GraphPruningTest {

    private static final INDArray IMAGES = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    private static final Map<String, Double> HALF_OF_EVERY_UNIT =
            Map.of("stem", 0.5, "s1a", 0.5, "s2a", 0.5, "s2b", 0.5, "s3a", 0.5, "s3b", 0.5);

    @Test
    void convolutionsWhoseOutputsMeetInAResidualAddFormOneUnit() {
        ComputationGraph net = FashionResNet.build(10, 3, 1e-3);

        assertThat(FilterPruner.units(net)).extracting(PruningUnit::name)
                .containsExactlyInAnyOrder("stem+s1b", "s1a", "s2a", "s2proj+s2b", "s3a", "s3proj+s3b");
        assertThat(FilterPruner.units(net)).allMatch(PruningUnit::prunable);
    }

    @Test
    void aPrunedResidualGraphHasConsistentShapesIsSmallerAndExportsToOnnx() {
        ComputationGraph net = FashionResNet.build(10, 3, 1e-3);

        ComputationGraph pruned = FilterPruner.prune(net, HALF_OF_EVERY_UNIT);

        for (String conv : new String[] {"stem", "s1a", "s1b", "s2a", "s2b", "s2proj", "s3a", "s3b", "s3proj"}) {
            long before = ((ConvolutionLayer) net.getLayer(conv).conf().getLayer()).getNOut();
            assertThat(((ConvolutionLayer) pruned.getLayer(conv).conf().getLayer()).getNOut()).as(conv)
                    .isEqualTo(before / 2);
        }
        assertThat(pruned.outputSingle(IMAGES).shape()).containsExactly(8, 10);
        assertThat(pruned.numParams()).isLessThan(net.numParams() * 35 / 100);
        assertThat(Flops.perImage(pruned, FashionCnn.INPUT)).isLessThan(Flops.perImage(net, FashionCnn.INPUT) * 35 / 100);
        assertThat(OnnxParity.relativeError(pruned, OnnxExporter.export(pruned, FashionCnn.INPUT), FashionCnn.INPUT, 4,
                1)).isLessThan(OnnxParity.TOLERANCE);
    }

    @Test
    void silentChannelsOfAResidualUnitGoFromBothSidesOfTheAddAndTheOutputsStayTheSame() {
        ComputationGraph net = FashionResNet.build(10, 3, 1e-3);
        int[] odd = IntStream.range(0, 16).filter(i -> i % 2 == 1).toArray();
        // Channel f of s1add is stem's f plus s1b's f: both silent, so the add's channel is zero.
        FilterPrunerTest.silence(net, "stem", "stembn", odd);
        FilterPrunerTest.silence(net, "s1b", "s1bbn", odd);
        INDArray before = net.outputSingle(IMAGES);

        ComputationGraph pruned = FilterPruner.prune(net, Map.of("s1b", 0.5));

        assertThat(((ConvolutionLayer) pruned.getLayer("stem").conf().getLayer()).getNOut()).isEqualTo(8);
        assertThat(((ConvolutionLayer) pruned.getLayer("s2proj").conf().getLayer()).getNIn()).isEqualTo(8);
        assertThat(pruned.outputSingle(IMAGES).equalsWithEps(before, 1e-5)).isTrue();
    }

    @Test
    void aConcatenationKeepsEachBranchsSurvivingChannelsAtTheirOffsets() {
        ComputationGraph net = inception();
        FilterPrunerTest.silence(net, "e1", null, new int[] {0, 2, 4, 6});
        FilterPrunerTest.silence(net, "e3", null, new int[] {1, 2, 5, 7});
        INDArray before = net.outputSingle(IMAGES);

        ComputationGraph pruned = FilterPruner.prune(net, Map.of("e1", 0.5, "e3", 0.5));

        assertThat(((ConvolutionLayer) pruned.getLayer("t").conf().getLayer()).getNIn()).isEqualTo(8);
        assertThat(pruned.outputSingle(IMAGES).equalsWithEps(before, 1e-5)).isTrue();
        assertThat(OnnxParity.relativeError(pruned, OnnxExporter.export(pruned, FashionCnn.INPUT), FashionCnn.INPUT, 4,
                1)).isLessThan(OnnxParity.TOLERANCE);
    }

    @Test
    void plansTheGraphCannotFollowAreRefusedNamingTheLayer() {
        ComputationGraph net = FashionResNet.build(10, 3, 1e-3);
        assertThatThrownBy(() -> FilterPruner.prune(net, Map.of("s2b", 0.5, "s2proj", 0.75)))
                .hasMessageContaining("s2b").hasMessageContaining("s2proj").hasMessageContaining("same keep fraction");
        assertThatThrownBy(() -> FilterPruner.prune(net, Map.of("s2bbn", 0.5)))
                .hasMessageContaining("s2bbn").hasMessageContaining("not a convolution");
        assertThatThrownBy(() -> FilterPruner.prune(net, Map.of("nope", 0.5))).hasMessageContaining("nope");

        ComputationGraph lrn = small(b -> b.addLayer("lrn1", new LocalResponseNormalization(), "c"), "lrn1");
        assertThat(FilterPruner.units(lrn).get(0).blockedBy()).contains("lrn1");
        assertThatThrownBy(() -> FilterPruner.prune(lrn, Map.of("c", 0.5))).hasMessageContaining("lrn1")
                .hasMessageContaining("LocalResponseNormalization");

        // An add of the network input and a convolution: the input's channels cannot be pruned.
        ComputationGraph inputAdd = small(b -> b.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add),
                "c", "input"), "add");
        assertThatThrownBy(() -> FilterPruner.prune(inputAdd, Map.of("c", 0.5))).hasMessageContaining("'input'");
    }

    /** input -> s -> (1x1 e1 | 3x3 e3) -> concat -> t -> pool -> output. */
    private static ComputationGraph inception() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5)
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("s", conv(3, 8), "input")
                .addLayer("e1", conv(1, 8), "s")
                .addLayer("e3", conv(3, 8), "s")
                .addVertex("concat", new MergeVertex(), "e1", "e3")
                .addLayer("t", conv(3, 12), "concat")
                .addLayer("pool", new GlobalPoolingLayer(PoolingType.AVG), "t")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output").build());
        net.init();
        return net;
    }

    /** input -> c (one filter) -> whatever {@code tail} adds, ending in {@code last} -> pool -> output. */
    private static ComputationGraph small(java.util.function.Consumer<
            org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder> tail, String last) {
        var b = new NeuralNetConfiguration.Builder().seed(5).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("c", conv(3, 1), "input");
        tail.accept(b);
        b.addLayer("pool", new GlobalPoolingLayer(PoolingType.AVG), last)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int kernel, int filters) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).activation(Activation.RELU).build();
    }
}
