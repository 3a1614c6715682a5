package io.argus.common.model;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.image.InputSpec;

/**
 * Floating-point operations per image of a network, computed from its configuration: two per
 * multiply-add of every convolution and dense layer (the usual convention; batch norm, pooling,
 * activations and adds are a few percent and left out). The benchmark divides achieved FLOP/s by
 * the machine's sgemm FLOP/s to say how much of the hardware a run uses; pruning reports what it
 * saved with it.
 */
public final class Flops {

    private Flops() {
    }

    public static long perImage(Model net, InputSpec spec) {
        InputType input = InputType.convolutional(spec.height(), spec.width(), spec.channels());
        long flops = 0;
        if (net instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations();
            List<InputType> outputs = conf.getLayerActivationTypes(input);
            for (int i = 0; i < outputs.size(); i++) {
                flops += layer(conf.getConf(i).getLayer(), outputs.get(i));
            }
        } else if (net instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            Map<String, InputType> outputs = conf.getLayerActivationTypes(input);
            for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
                if (v.getValue() instanceof LayerVertex lv) {
                    flops += layer(lv.getLayerConf().getLayer(), outputs.get(v.getKey()));
                }
            }
        } else {
            throw new IllegalArgumentException("cannot count the operations of a " + net.getClass().getSimpleName());
        }
        return flops;
    }

    private static long layer(Layer layer, InputType output) {
        if (layer instanceof FrozenLayer f) {
            return layer(f.getLayer(), output);
        }
        if (layer.getClass() == ConvolutionLayer.class && output instanceof InputType.InputTypeConvolutional out) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            long kernel = (long) c.getKernelSize()[0] * c.getKernelSize()[1] * c.getNIn();
            return 2 * kernel * c.getNOut() * out.getHeight() * out.getWidth();
        }
        if (layer instanceof DenseLayer d) {
            return 2 * d.getNIn() * d.getNOut();
        }
        if (layer instanceof OutputLayer o) {
            return 2 * o.getNIn() * o.getNOut();
        }
        return 0;
    }
}
