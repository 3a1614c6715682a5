package io.argus.tools.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import io.argus.learning.networks.ResidualHead;

/**
 * ResNet-18 and ResNet-50 as torchvision defines them, the models the usual published figures
 * refer to: a 7x7/2 stem, a 3x3/2 max pool, four stages at 56, 28, 14 and 7 pixels (64 to 512
 * channels; ResNet-50's bottleneck blocks stride in their 3x3 convolution), global average
 * pooling and a 1000-way softmax. 3.6 and 8.2 GFLOP per 224x224 image.
 *
 * <p>The DL4J zoo's ResNet-50 is not this network: it strides already in its first stage, so its
 * stages run at 28, 14, 7 and 4 pixels and it costs a quarter (2.2 GFLOP). The benchmark has both.
 */
final class ResNets {

    private ResNets() {
    }

    static ComputationGraph resnet18(int classes, long seed) {
        return build(new int[] {2, 2, 2, 2}, false, classes, seed);
    }

    static ComputationGraph resnet50(int classes, long seed) {
        return build(new int[] {3, 4, 6, 3}, true, classes, seed);
    }

    private static ComputationGraph build(int[] blocks, boolean bottleneck, int classes, long seed) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(224, 224, 3))
                .addLayer("conv1", conv(7, 2, 3, 64), "input")
                .addLayer("bn1", new BatchNormalization(), "conv1")
                .addLayer("relu1", new ActivationLayer(Activation.RELU), "bn1")
                // Zero padding is safe ahead of this max pool: its inputs are ReLU outputs, never negative.
                .addLayer("pool_pad", new ZeroPaddingLayer(1, 1), "relu1")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build(),
                        "pool_pad");
        String x = "pool";
        int[] width = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int block = 0; block < blocks[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                boolean project = block == 0 && (stride != 1 || bottleneck);
                String name = "s" + (stage + 1) + "b" + (block + 1);
                x = bottleneck ? bottleneck(b, name, x, width[stage], stride, project)
                        : basic(b, name, x, width[stage], stride, project);
            }
        }
        return ResidualHead.finish(b, x, "fc", classes);
    }

    private static String basic(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int width,
                                int stride, boolean project) {
        String y = convBnRelu(b, name + "_1", in, 3, stride, 1, width);
        b.addLayer(name + "_2", conv(3, 1, 1, width), y)
                .addLayer(name + "_2bn", new BatchNormalization(), name + "_2");
        return add(b, name, name + "_2bn", shortcut(b, name, in, width, stride, project));
    }

    private static String bottleneck(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int width,
                                     int stride, boolean project) {
        String y = convBnRelu(b, name + "_1", in, 1, 1, 0, width);
        y = convBnRelu(b, name + "_2", y, 3, stride, 1, width);
        b.addLayer(name + "_3", conv(1, 1, 0, 4 * width), y)
                .addLayer(name + "_3bn", new BatchNormalization(), name + "_3");
        return add(b, name, name + "_3bn", shortcut(b, name, in, 4 * width, stride, project));
    }

    private static String convBnRelu(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int kernel,
                                     int stride, int pad, int channels) {
        b.addLayer(name, conv(kernel, stride, pad, channels), in)
                .addLayer(name + "bn", new BatchNormalization(), name)
                .addLayer(name + "relu", new ActivationLayer(Activation.RELU), name + "bn");
        return name + "relu";
    }

    private static String shortcut(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int channels,
                                   int stride, boolean project) {
        if (!project) {
            return in;
        }
        b.addLayer(name + "_down", conv(1, stride, 0, channels), in)
                .addLayer(name + "_downbn", new BatchNormalization(), name + "_down");
        return name + "_downbn";
    }

    private static String add(ComputationGraphConfiguration.GraphBuilder b, String name, String main,
                              String shortcut) {
        b.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), main, shortcut)
                .addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_add");
        return name + "_relu";
    }

    private static ConvolutionLayer conv(int kernel, int stride, int pad, int channels) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(pad, pad).nOut(channels)
                .hasBias(false).activation(Activation.IDENTITY).build();
    }
}
