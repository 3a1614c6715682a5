package io.argus.learning.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The few operations training needs, for both DL4J network kinds. */
public final class Networks {

    private Networks() {
    }

    public static void fit(Model net, DataSet batch) {
        if (net instanceof MultiLayerNetwork mln) {
            mln.fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
    }

    public static INDArray output(Model net, INDArray input) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.output(input, false);
        }
        return ((ComputationGraph) net).outputSingle(false, input);
    }

    /** Mean loss on {@code batch} without training. */
    public static double loss(Model net, DataSet batch) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.score(batch, false);
        }
        return ((ComputationGraph) net).score(batch, false);
    }

    public static Layer[] layers(Model net) {
        return net instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) net).getLayers();
    }

    /** Parameters that training changes (frozen layers excluded). */
    public static long trainableParams(Model net) {
        long n = 0;
        for (Layer l : layers(net)) {
            if (!(l instanceof FrozenLayer) && !(l instanceof FrozenLayerWithBackprop)) {
                n += l.numParams();
            }
        }
        return n;
    }
}
