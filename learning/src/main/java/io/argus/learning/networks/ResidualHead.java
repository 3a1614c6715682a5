package io.argus.learning.networks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * How a ResNet ends, ours ({@link FashionResNet}) as torchvision's: global average pooling of the
 * last stage's feature maps (vertex {@code avgpool}) and a softmax layer of one output per class,
 * trained with cross-entropy; the graph is then built and its weights initialised.
 */
public final class ResidualHead {

    private ResidualHead() {
    }

    /**
     * @param features the vertex of the last stage
     * @param output   the name of the softmax layer, the graph's output ({@code output}; torchvision's {@code fc})
     */
    public static ComputationGraph finish(ComputationGraphConfiguration.GraphBuilder b, String features, String output,
                                          int classes) {
        b.addLayer("avgpool", new GlobalPoolingLayer(PoolingType.AVG), features)
                .addLayer(output, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "avgpool")
                .setOutputs(output);
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }
}
