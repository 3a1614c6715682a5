package io.argus.learning.pruning;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;

/** What a vertex does to the channels of its input, as far as pruning is concerned. */
enum Kind {
    INPUT,
    /** A plain 2-D convolution: its filters can go, and it takes any subset of input channels. */
    CONVOLUTION,
    /** Per-channel parameters, sliced with the channels. */
    BATCH_NORM,
    /** Dense or output layer: its input rows are sliced (after a flatten, a whole plane per channel). */
    DENSE,
    /** Leaves channels as they are (activation, pooling, dropout, padding, scale, shift). */
    PASS_THROUGH,
    /** Adds (or multiplies...) its inputs channel by channel: they must keep the same channels. */
    ELEMENT_WISE,
    /** Concatenates channels: each input keeps its own. */
    CONCAT,
    /** Anything else: pruned channels must not reach it. */
    UNSUPPORTED;

    static Kind of(Topology.Node n) {
        if (n.isInput()) {
            return INPUT;
        }
        if (n.layer() != null) {
            Object l = n.layer();
            if (l.getClass() == ConvolutionLayer.class) {
                return CONVOLUTION;
            }
            if (l instanceof BatchNormalization) {
                return BATCH_NORM;
            }
            if (l instanceof DenseLayer || l instanceof OutputLayer) {
                return DENSE;
            }
            if (l instanceof ActivationLayer || l instanceof SubsamplingLayer || l instanceof DropoutLayer
                    || l instanceof ZeroPaddingLayer || l instanceof GlobalPoolingLayer) {
                return PASS_THROUGH;
            }
            return UNSUPPORTED;
        }
        if (n.vertex() instanceof ElementWiseVertex) {
            return ELEMENT_WISE;
        }
        if (n.vertex() instanceof MergeVertex) {
            return CONCAT;
        }
        if (n.vertex() instanceof ScaleVertex || n.vertex() instanceof ShiftVertex) {
            return PASS_THROUGH;
        }
        return UNSUPPORTED;
    }

    /** A short description for messages: the layer or vertex type. */
    static String type(Topology.Node n) {
        return n.layer() != null ? n.layer().getClass().getSimpleName()
                : n.vertex() != null ? n.vertex().getClass().getSimpleName() : "input";
    }
}
