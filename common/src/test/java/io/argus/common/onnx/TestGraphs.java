package io.argus.common.onnx;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small networks shaped like the families Argus serves, with every parameter randomised
 * (including batch-norm statistics, which start at mean 0 / variance 1 and would hide mistakes).
 */
final class TestGraphs {

    private TestGraphs() {
    }

    /** Like the project's CNN: conv (same) -> BN -> ReLU -> max pool, twice; dense with dropout; softmax. */
    static MultiLayerNetwork projectLikeCnn(long seed) {
        return sequential(seed, WeightInit.RELU, ConvolutionMode.Same, InputType.convolutional(28, 28, 1),
                new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(6).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().name("bn1").build(),
                new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(8).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().name("bn2").build(),
                new ActivationLayer.Builder().name("relu2").activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(PoolingType.MAX).name("pool2").kernelSize(2, 2).stride(2, 2).build(),
                new DenseLayer.Builder().name("fc").nOut(16).activation(Activation.RELU).dropOut(0.7).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(5)
                        .activation(Activation.SOFTMAX).build());
    }

    /**
     * Every other layer type and setting the exporter claims: truncate-mode padding, zero padding,
     * strided and dilated convolution without bias, average pooling with and without the padding
     * in the divisor, log-std batch norm (with an activation in its configuration, which DL4J
     * ignores for batch norm), activation layers of several kinds, a dropout layer and
     * an output layer without softmax (raw scores compare more strictly than probabilities).
     */
    static MultiLayerNetwork everyLayerType(long seed) {
        return sequential(seed, WeightInit.XAVIER, ConvolutionMode.Truncate, InputType.convolutional(21, 19, 3),
                new ZeroPaddingLayer.Builder(1, 2, 0, 1).name("pad").build(),
                new ConvolutionLayer.Builder(5, 3).name("conv_strided").stride(2, 1).padding(1, 1).nOut(6)
                        .hasBias(false).activation(Activation.LEAKYRELU).build(),
                new BatchNormalization.Builder().name("bn_logstd").useLogStd(true).activation(Activation.TANH)
                        .build(),
                new ConvolutionLayer.Builder(3, 3).name("conv_dilated").dilation(2, 2).nOut(6)
                        .activation(Activation.ELU).build(),
                new SubsamplingLayer.Builder(PoolingType.AVG).name("avg_in_divisor").kernelSize(3, 3)
                        .stride(1, 1).padding(1, 1).avgPoolIncludePadInDivisor(true).build(),
                new SubsamplingLayer.Builder(PoolingType.AVG).name("avg_excluded").kernelSize(3, 3)
                        .stride(2, 2).padding(1, 1).avgPoolIncludePadInDivisor(false).build(),
                new ActivationLayer.Builder().name("relu6").activation(Activation.RELU6).build(),
                new ConvolutionLayer.Builder(1, 1).name("conv_sigmoid").nOut(4).activation(Activation.SIGMOID)
                        .build(),
                new DropoutLayer.Builder(0.5).name("dropout").build(),
                new DenseLayer.Builder().name("fc").nOut(12).activation(Activation.IDENTITY).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("scores").nOut(3)
                        .activation(Activation.IDENTITY).build());
    }

    /**
     * Like ResNet: zero-padded stem, max pool, then residual blocks whose element-wise add joins
     * an identity shortcut and, where the shape changes, a strided 1x1 projection; average pool,
     * flatten, softmax.
     */
    static ComputationGraph resNetLike(long seed) {
        ComputationGraphConfiguration.GraphBuilder b = graph(seed, InputType.convolutional(32, 32, 3))
                .addLayer("stem_pad", new ZeroPaddingLayer.Builder(3, 3).build(), "input")
                .addLayer("stem", new ConvolutionLayer.Builder(7, 7).stride(2, 2).nOut(8).build(), "stem_pad")
                .addLayer("stem_bn", new BatchNormalization(), "stem")
                .addLayer("stem_relu", new ActivationLayer(Activation.RELU), "stem_bn")
                .addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .build(), "stem_relu");
        String x = block(b, "a", "stem_pool", 8, 1);
        x = block(b, "b", x, 16, 2);
        b.addLayer("avgpool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(4, 4).stride(4, 4).build(), x)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(7)
                        .activation(Activation.SOFTMAX).build(), "avgpool")
                .setOutputs("output");
        return randomised(new ComputationGraph(b.build()), seed);
    }

    private static String block(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int channels,
                                int stride) {
        b.addLayer(name + "_conv1", new ConvolutionLayer.Builder(3, 3).stride(stride, stride).padding(1, 1)
                        .nOut(channels).build(), in)
                .addLayer(name + "_bn1", new BatchNormalization(), name + "_conv1")
                .addLayer(name + "_relu1", new ActivationLayer(Activation.RELU), name + "_bn1")
                .addLayer(name + "_conv2", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(channels).build(),
                        name + "_relu1")
                .addLayer(name + "_bn2", new BatchNormalization(), name + "_conv2");
        String shortcut = in;
        if (stride != 1) {
            b.addLayer(name + "_proj", new ConvolutionLayer.Builder(1, 1).stride(stride, stride).nOut(channels)
                    .build(), in);
            shortcut = name + "_proj";
        }
        b.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut)
                .addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_add");
        return name + "_relu";
    }

    /**
     * Like SqueezeNet: fire modules (1x1 squeeze, then 1x1 and 3x3 expands merged by concat),
     * dropout, a 1x1 convolution with one channel per class, global average pooling and a softmax
     * activation ahead of a loss layer, as the DL4J zoo builds it.
     */
    static ComputationGraph squeezeNetLike(long seed) {
        ComputationGraphConfiguration.GraphBuilder b = graph(seed, InputType.convolutional(33, 33, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                        .activation(Activation.RELU).build(), "input")
                .addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .build(), "conv1");
        String x = fire(b, "fire2", "pool1", 4, 8);
        x = fire(b, "fire3", x, 4, 8);
        b.addLayer("drop9", new DropoutLayer.Builder(0.5).build(), x)
                .addLayer("conv10", new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.RELU).build(),
                        "drop9")
                .addLayer("global_avg", new GlobalPoolingLayer(PoolingType.AVG), "conv10")
                .addLayer("softmax", new ActivationLayer(Activation.SOFTMAX), "global_avg")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build(), "softmax")
                .setOutputs("loss");
        return randomised(new ComputationGraph(b.build()), seed);
    }

    private static String fire(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int squeeze,
                               int expand) {
        b.addLayer(name + "_squeeze", new ConvolutionLayer.Builder(1, 1).nOut(squeeze).activation(Activation.RELU)
                        .build(), in)
                .addLayer(name + "_expand1x1", new ConvolutionLayer.Builder(1, 1).nOut(expand)
                        .activation(Activation.RELU).build(), name + "_squeeze")
                .addLayer(name + "_expand3x3", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                        .nOut(expand).activation(Activation.RELU).build(), name + "_squeeze")
                .addVertex(name + "_concat", new MergeVertex(), name + "_expand1x1", name + "_expand3x3");
        return name + "_concat";
    }

    /** A network of {@code layers} in sequence, every parameter randomised. */
    private static MultiLayerNetwork sequential(long seed, WeightInit init, ConvolutionMode mode, InputType input,
                                                Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).weightInit(init)
                .convolutionMode(mode).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        return randomised(new MultiLayerNetwork(list.setInputType(input).build()), seed);
    }

    /** A graph with one input, {@code "input"}, of the given type. */
    private static ComputationGraphConfiguration.GraphBuilder graph(long seed, InputType input) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("input").setInputTypes(input);
    }

    private static <M extends Model> M randomised(M net, long seed) {
        net.init();
        randomise(net, seed);
        return net;
    }

    /**
     * Gives every parameter a random value of a plausible range. Freshly initialised networks
     * have zero biases, zero BN means and unit variances, which would let a wrong bias or
     * variance mapping pass.
     */
    static void randomise(Model net, long seed) {
        Random random = new Random(seed);
        Map<String, INDArray> table = net.paramTable();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            String key = e.getKey().substring(e.getKey().lastIndexOf('_') + 1);
            INDArray p = e.getValue();
            switch (key) {
                case "var", "gamma" -> fill(p, () -> 0.5 + random.nextDouble());
                case "log10stdev" -> fill(p, () -> (random.nextDouble() - 0.5) * 0.4);
                case "mean", "beta", "b" -> fill(p, () -> random.nextGaussian() * 0.2);
                default -> { } // weights keep their (random) initialisation
            }
        }
    }

    private static void fill(INDArray p, java.util.function.DoubleSupplier values) {
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, values.getAsDouble());
        }
    }
}
