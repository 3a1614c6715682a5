package io.argus.learning.networks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

import io.argus.common.nd4j.OneDnn;

/**
 * A small residual network for 28x28 grey images, shaped like ResNet's basic blocks: a stem
 * convolution, then three stages of one block each (16, 32 and 64 channels; the last two halve
 * the resolution and project their shortcut with a 1x1 convolution), global average pooling and
 * a softmax head. The residual-graph counterpart of {@link FashionCnn}: what the pruning report
 * and tests use to show that residual adds keep matching channels.
 *
 * <p>Vertex names: {@code stem}, then per block {@code sNa} (first conv), {@code sNb} (second),
 * {@code sNproj} (projection), {@code sNadd}; every convolution is followed by {@code <name>bn}.
 */
public final class FashionResNet {

    private FashionResNet() {
    }

    public static ComputationGraph build(int classes, long seed, double learningRate) {
        OneDnn.enable();
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.RELU).updater(new Adam(learningRate)).convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(FashionCnn.INPUT.height(), FashionCnn.INPUT.width(),
                        FashionCnn.INPUT.channels()));
        String x = convBn(b, "stem", "input", 3, 1, 16, true);
        int[] widths = {16, 32, 64};
        for (int stage = 1; stage <= 3; stage++) {
            int width = widths[stage - 1];
            int stride = stage == 1 ? 1 : 2;
            String s = "s" + stage;
            String y = convBn(b, s + "a", x, 3, stride, width, true);
            y = convBn(b, s + "b", y, 3, 1, width, false);
            String shortcut = stride == 1 ? x : convBn(b, s + "proj", x, 1, stride, width, false);
            b.addVertex(s + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), y, shortcut)
                    .addLayer(s + "relu", new ActivationLayer(Activation.RELU), s + "add");
            x = s + "relu";
        }
        return ResidualHead.finish(b, x, "output", classes);
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder b, String name, String in, int kernel,
                                 int stride, int channels, boolean relu) {
        b.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                        .activation(Activation.IDENTITY).build(), in)
                .addLayer(name + "bn", new BatchNormalization(), name);
        if (!relu) {
            return name + "bn";
        }
        b.addLayer(name + "relu", new ActivationLayer(Activation.RELU), name + "bn");
        return name + "relu";
    }
}
