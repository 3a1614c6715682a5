package io.argus.learning.transfer;

import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import io.argus.common.nd4j.OneDnn;

/**
 * Adapts a base network to a label set with DL4J's TransferLearning API, for MultiLayerNetworks
 * and ComputationGraphs alike: optionally freezes everything up to a named layer, and resizes
 * the head when the number of classes changes (nOutReplace), keeping the base's weights for the
 * classes both know so that a new class does not make the model forget the old ones.
 */
public final class Transfer {

    static {
        OneDnn.enable();
    }

    private Transfer() {
    }

    /**
     * A copy of {@code base} for {@code classes} outputs, frozen up to and including
     * {@code frozenEnd} (null: nothing frozen), trained with Adam at {@code learningRate}.
     *
     * @param baseClasses how many outputs the base has
     * @param keepKnown   how many leading classes mean the same in base and result, whose head weights are kept
     *                    (0 for a base trained on other classes, such as ImageNet)
     */
    public static Model adapt(Model base, Architecture arch, int baseClasses, int classes, int keepKnown,
                              String frozenEnd, double learningRate, long seed) {
        // TransferLearning may share parameter views with its input: work on a copy of the base.
        base = base instanceof MultiLayerNetwork m ? m.clone() : ((ComputationGraph) base).clone();
        FineTuneConfiguration tune = new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed)
                .build();
        // A new head unless every class is one the base already predicts, in the same place: equal
        // counts alone (five old classes, five new ones) must not keep the old classes' weights.
        boolean newHead = classes != baseClasses || keepKnown < classes;
        Model adapted;
        if (base instanceof MultiLayerNetwork mln) {
            TransferLearning.Builder b = new TransferLearning.Builder(mln).fineTuneConfiguration(tune);
            if (frozenEnd != null) {
                b.setFeatureExtractor(index(mln, frozenEnd));
            }
            if (newHead) {
                b.nOutReplace(index(mln, arch.head()), classes, WeightInit.XAVIER);
            }
            adapted = b.build();
        } else {
            ComputationGraph graph = (ComputationGraph) base;
            TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(graph).fineTuneConfiguration(tune);
            if (frozenEnd != null) {
                b.setFeatureExtractor(frozenEnd);
            }
            if (newHead) {
                b.nOutReplace(arch.head(), classes, WeightInit.XAVIER);
            }
            adapted = b.build();
        }
        if (newHead && keepKnown > 0) {
            keepKnownClasses(layer(base, arch.head()), layer(adapted, arch.head()),
                    Math.min(keepKnown, Math.min(baseClasses, classes)));
        }
        return adapted;
    }

    /**
     * The same architecture as {@code trained} with nothing frozen and the trained weights: what is
     * stored in a bundle, so the next run can freeze whatever it likes.
     */
    public static Model unfrozen(Model base, Architecture arch, int baseClasses, int classes, Model trained,
                                 long seed) {
        Model clean = adapt(base, arch, baseClasses, classes, classes, null, 1e-4, seed);
        clean.setParams(trained.params());
        return clean;
    }

    /** Copies the head's weights of the first {@code known} classes from {@code from} to {@code to}. */
    private static void keepKnownClasses(Layer from, Layer to, int known) {
        for (String name : List.of("W", "b")) {
            INDArray src = from.getParam(name);
            INDArray dst = to.getParam(name);
            if (src == null || dst == null || src.rank() != dst.rank()) {
                continue;
            }
            // Dense weights are [nIn, nOut]; convolution weights [nOut, nIn, kh, kw]; biases [1, nOut].
            int axis = src.rank() == 4 ? 0 : src.rank() - 1;
            INDArrayIndex[] idx = new INDArrayIndex[src.rank()];
            for (int d = 0; d < idx.length; d++) {
                idx[d] = d == axis ? NDArrayIndex.interval(0, known) : NDArrayIndex.all();
            }
            dst.get(idx).assign(src.get(idx));
        }
    }

    private static Layer layer(Model net, String name) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.getLayer(index(mln, name));
        }
        Layer l = ((ComputationGraph) net).getLayer(name);
        if (l == null) {
            throw new IllegalArgumentException("the network has no layer named '" + name + "'");
        }
        return l;
    }

    /** How many classes the network's head outputs. */
    public static int outputs(Model net, Architecture arch) {
        return (int) layer(net, arch.head()).getParam("b").length();
    }

    static int index(MultiLayerNetwork net, String name) {
        int n = net.getLayerWiseConfigurations().getConfs().size();
        for (int i = 0; i < n; i++) {
            if (name.equals(net.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("the network has no layer named '" + name + "'");
    }
}
