package io.argus.trainer.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Structured pruning of a sequential CNN: whole convolution filters go, ranked by the L1 norm of
 * their weights (filters that barely respond to anything contribute least), together with
 * everything that only served them: the batch-norm entries of those channels, the matching input
 * channels of the next convolution, and the rows of the dense layer after the flatten. The result
 * is a genuinely smaller network (fewer parameters and FLOPs), not a masked one.
 *
 * <p>Supports MultiLayerNetworks of convolution, batch norm, activation, pooling, dropout, dense
 * and output layers (the project's CNN); anything else is refused naming the layer. Graphs with
 * residual adds and concatenations need channel groups kept in step and are not handled here yet.
 */
public final class FilterPruner {

    private FilterPruner() {
    }

    /** The L1 norm of each output filter of a convolution layer's weights [nOut, nIn, kH, kW]. */
    static double[] l1PerFilter(INDArray weights) {
        long filters = weights.size(0);
        double[] l1 = new double[(int) filters];
        for (int f = 0; f < filters; f++) {
            l1[f] = weights.get(NDArrayIndex.point(f), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .norm1Number().doubleValue();
        }
        return l1;
    }

    /** The {@code keep} filters of largest L1 norm, in their original order. */
    static int[] strongest(double[] l1, int keep) {
        return IntStream.range(0, l1.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -l1[i]))
                .limit(keep).mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * A copy of {@code net} in which each convolution layer named in {@code keepFraction} keeps
     * that fraction of its filters (at least one). The original is not changed.
     */
    public static MultiLayerNetwork prune(MultiLayerNetwork net, Map<String, Double> keepFraction) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int n = conf.getConfs().size();
        List<Map<String, INDArray>> params = new ArrayList<>(n);
        int[] channels = null; // channels of the current activations that survive, or null for all
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            Map<String, INDArray> p = new java.util.LinkedHashMap<>();
            net.getLayer(i).paramTable().forEach((k, v) -> p.put(k, v.dup()));
            if (layer instanceof ConvolutionLayer conv && !(layer instanceof SubsamplingLayer)) {
                INDArray w = p.get("W");
                if (channels != null) {
                    w = w.get(NDArrayIndex.all(), NDArrayIndex.indices(toLong(channels)), NDArrayIndex.all(),
                            NDArrayIndex.all()).dup();
                    conv.setNIn(channels.length);
                }
                channels = null;
                Double fraction = keepFraction.get(layer.getLayerName());
                if (fraction != null) {
                    if (!(fraction > 0 && fraction <= 1)) {
                        throw new IllegalArgumentException("keep fraction of " + layer.getLayerName()
                                + " must be in (0, 1], not " + fraction);
                    }
                    int keep = Math.max(1, (int) Math.round(w.size(0) * fraction));
                    int[] kept = strongest(l1PerFilter(w), keep);
                    w = w.get(NDArrayIndex.indices(toLong(kept)), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).dup();
                    if (p.containsKey("b")) {
                        p.put("b", p.get("b").get(NDArrayIndex.all(), NDArrayIndex.indices(toLong(kept))).dup());
                    }
                    conv.setNOut(kept.length);
                    channels = kept;
                }
                p.put("W", w);
            } else if (layer instanceof BatchNormalization bn) {
                if (channels != null) {
                    for (Map.Entry<String, INDArray> e : p.entrySet()) {
                        e.setValue(e.getValue().reshape(1, e.getValue().length())
                                .get(NDArrayIndex.all(), NDArrayIndex.indices(toLong(channels))).dup());
                    }
                    bn.setNIn(channels.length);
                    bn.setNOut(channels.length);
                }
            } else if (layer instanceof DenseLayer dense && !(layer instanceof OutputLayer)) {
                if (channels != null) {
                    InputPreProcessor pre = conf.getInputPreProcess(i);
                    if (!(pre instanceof CnnToFeedForwardPreProcessor flatten)) {
                        throw new IllegalArgumentException("layer " + layer.getLayerName()
                                + " follows pruned channels without a CnnToFeedForward flatten");
                    }
                    long plane = flatten.getInputHeight() * flatten.getInputWidth();
                    long[] rows = Arrays.stream(channels).asLongStream()
                            .flatMap(c -> java.util.stream.LongStream.range(c * plane, (c + 1) * plane)).toArray();
                    p.put("W", p.get("W").get(NDArrayIndex.indices(rows), NDArrayIndex.all()).dup());
                    flatten.setNumChannels(channels.length);
                    dense.setNIn(rows.length);
                    channels = null;
                }
            } else if (layer instanceof OutputLayer) {
                if (channels != null) {
                    throw new IllegalArgumentException("output layer " + layer.getLayerName()
                            + " directly after pruned channels is not supported");
                }
            } else if (!(layer instanceof ActivationLayer || layer instanceof SubsamplingLayer
                    || layer instanceof DropoutLayer)) {
                throw new IllegalArgumentException("cannot prune through layer " + layer.getLayerName() + " ("
                        + layer.getClass().getSimpleName() + ")");
            }
            params.add(p);
        }
        MultiLayerNetwork pruned = new MultiLayerNetwork(conf);
        pruned.init();
        for (int i = 0; i < n; i++) {
            for (Map.Entry<String, INDArray> e : params.get(i).entrySet()) {
                pruned.getLayer(i).setParam(e.getKey(), e.getValue().reshape(pruned.getLayer(i).getParam(e.getKey())
                        .shape()));
            }
        }
        return pruned;
    }

    private static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }
}
