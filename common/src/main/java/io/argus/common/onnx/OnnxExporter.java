package io.argus.common.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
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
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.onnxgraph.OnnxGraph;
import io.argus.common.image.InputSpec;
import io.argus.common.nd4j.OneDnn;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * Turns a trained DL4J network (MultiLayerNetwork or ComputationGraph, channels-first) into an
 * ONNX model (opset 13) with one input {@value #INPUT} [batch, c, h, w] and two outputs:
 * {@value #OUTPUT} [batch, classes] and {@value #EMBEDDING} [batch, features], the activations the
 * last layer reads (the penultimate-layer embedding, flattened), which out-of-distribution scores
 * are computed from ({@link io.argus.common.ood}). Graphs made before the second output was added
 * serve as before; they only lack the embedding. Covers what the project's CNN and the DL4J zoo CNNs use:
 * convolution, batch norm (both of DL4J's variance encodings), activations, max/average pooling,
 * global pooling, dense and output layers, element-wise add (residual blocks), merge (concat),
 * zero padding, dropout (identity at inference), flatten and reshape preprocessors. Anything
 * else fails with an {@link UnsupportedLayer} naming the layer, never silently.
 */
public final class OnnxExporter {

    public static final String INPUT = OnnxClassifier.INPUT;
    public static final String OUTPUT = OnnxClassifier.OUTPUT;
    public static final String EMBEDDING = OnnxClassifier.EMBEDDING;

    static {
        OneDnn.enable();
    }

    private final OnnxGraph g = new OnnxGraph();
    /** The value the last layer reads; null when it reads more than one. */
    private String embedding;

    private OnnxExporter() {
    }

    public static byte[] export(Model net, InputSpec spec) {
        return new OnnxExporter().run(net, spec);
    }

    private byte[] run(Model net, InputSpec spec) {
        String last;
        if (net instanceof MultiLayerNetwork mln) {
            last = INPUT;
            int n = mln.getLayerWiseConfigurations().getConfs().size();
            for (int i = 0; i < n; i++) {
                if (i == n - 1) {
                    embedding = last;
                }
                Layer conf = mln.getLayerWiseConfigurations().getConf(i).getLayer();
                String name = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
                last = preprocess(mln.getLayerWiseConfigurations().getInputPreProcess(i), last, name);
                last = layer(conf, mln.getLayer(i), last, name);
            }
        } else if (net instanceof ComputationGraph graph) {
            last = graph(graph);
        } else {
            throw new UnsupportedLayer("cannot export a " + net.getClass().getSimpleName());
        }
        long classes = outputs(net, spec);
        String features = embedding == null ? null
                : g.node("Flatten", "embedding_flatten", List.of(embedding), OnnxGraph.attrInt("axis", 1));
        return g.model(INPUT, new long[] {-1, spec.channels(), spec.height(), spec.width()}, last, OUTPUT, classes,
                features, EMBEDDING, features == null ? 0 : embeddingSize(net, spec));
    }

    private String graph(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedLayer("only graphs with one input and one output can be exported, not "
                    + conf.getNetworkInputs() + " -> " + conf.getNetworkOutputs());
        }
        Map<String, String> values = new HashMap<>();
        values.put(conf.getNetworkInputs().get(0), INPUT);
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (values.containsKey(name)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> inputs = new ArrayList<>();
            for (String in : conf.getVertexInputs().get(name)) {
                inputs.add(values.get(in));
            }
            values.put(name, vertex(vertex, graph, name, inputs));
        }
        List<String> lastInputs = conf.getVertexInputs().get(conf.getNetworkOutputs().get(0));
        embedding = lastInputs != null && lastInputs.size() == 1 ? values.get(lastInputs.get(0)) : null;
        return values.get(conf.getNetworkOutputs().get(0));
    }

    private String vertex(GraphVertex vertex, ComputationGraph graph, String name, List<String> inputs) {
        if (vertex instanceof LayerVertex lv) {
            String x = preprocess(lv.getPreProcessor(), single(inputs, name), name);
            return layer(lv.getLayerConf().getLayer(), graph.getLayer(name), x, name);
        }
        if (vertex instanceof ElementWiseVertex ew) {
            return switch (ew.getOp()) {
                case Add -> g.node("Sum", name, inputs);
                case Average -> g.node("Mean", name, inputs);
                case Max -> g.node("Max", name, inputs);
                case Subtract -> g.node("Sub", name, inputs);
                case Product -> {
                    String acc = inputs.get(0);
                    for (int i = 1; i < inputs.size(); i++) {
                        acc = g.node("Mul", name, List.of(acc, inputs.get(i)));
                    }
                    yield acc;
                }
            };
        }
        if (vertex instanceof MergeVertex) {
            return g.node("Concat", name, inputs, OnnxGraph.attrInt("axis", 1));
        }
        if (vertex instanceof PreprocessorVertex pv) {
            return preprocess(pv.getPreProcessor(), single(inputs, name), name);
        }
        throw new UnsupportedLayer("vertex '" + name + "' (" + vertex.getClass().getSimpleName()
                + ") cannot be exported to ONNX");
    }

    private String preprocess(InputPreProcessor p, String x, String name) {
        if (p == null) {
            return x;
        }
        if (p instanceof CnnToFeedForwardPreProcessor cnn) {
            if (cnn.getFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedLayer("layer '" + name + "': only channels-first (NCHW) networks can be exported");
            }
            return g.node("Flatten", name + "_flatten", List.of(x), OnnxGraph.attrInt("axis", 1));
        }
        if (p instanceof FeedForwardToCnnPreProcessor ff) {
            return g.node("Reshape", name + "_reshape", List.of(x, g.ints(name + "_shape", -1, ff.getNumChannels(),
                    ff.getInputHeight(), ff.getInputWidth())));
        }
        throw new UnsupportedLayer("the input preprocessor of layer '" + name + "' (" + p.getClass().getSimpleName()
                + ") cannot be exported to ONNX");
    }

    private String layer(Layer conf, org.deeplearning4j.nn.api.Layer impl, String x, String name) {
        if (conf instanceof FrozenLayer f) {
            return layer(f.getLayer(), impl, x, name);
        }
        if (conf instanceof FrozenLayerWithBackprop f) {
            return layer(f.getUnderlying(), impl, x, name);
        }
        Class<?> type = conf.getClass();
        if (type == ConvolutionLayer.class) {
            return activation(((ConvolutionLayer) conf).getActivationFn(), conv((ConvolutionLayer) conf, impl, x, name),
                    name);
        }
        if (type == SubsamplingLayer.class) {
            return pool((SubsamplingLayer) conf, x, name);
        }
        if (type == BatchNormalization.class) {
            // DL4J's batch-norm layer never applies the activation its configuration carries
            // (activate() returns preOutput()), so neither does the export.
            return batchNorm((BatchNormalization) conf, impl, x, name);
        }
        if (type == ActivationLayer.class) {
            return activation(((ActivationLayer) conf).getActivationFn(), x, name);
        }
        if (type == DropoutLayer.class) {
            return x;
        }
        if (type == DenseLayer.class || type == OutputLayer.class) {
            FeedForwardLayer ff = (FeedForwardLayer) conf;
            return activation(ff.getActivationFn(), dense(ff, impl, x, name), name);
        }
        if (type == LossLayer.class) {
            return activation(((LossLayer) conf).getActivationFn(), x, name);
        }
        if (type == GlobalPoolingLayer.class) {
            return globalPool((GlobalPoolingLayer) conf, x, name);
        }
        if (type == ZeroPaddingLayer.class) {
            int[] p = ((ZeroPaddingLayer) conf).getPadding(); // top, bottom, left, right
            return g.node("Pad", name, List.of(x, g.ints(name + "_pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])));
        }
        throw new UnsupportedLayer("layer '" + name + "' (" + type.getSimpleName() + ") cannot be exported to ONNX");
    }

    private String conv(ConvolutionLayer c, org.deeplearning4j.nn.api.Layer impl, String x, String name) {
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedLayer("layer '" + name + "': only channels-first (NCHW) convolutions can be exported");
        }
        INDArray w = impl.getParam("W");
        List<String> inputs = new ArrayList<>(List.of(x, g.weight(name + "_W", w, w.shape())));
        if (c.hasBias()) {
            INDArray b = impl.getParam("b");
            inputs.add(g.weight(name + "_b", b, b.length()));
        }
        List<onnx.Onnx.AttributeProto> attrs = new ArrayList<>(List.of(
                OnnxGraph.attrInts("kernel_shape", c.getKernelSize()[0], c.getKernelSize()[1]),
                OnnxGraph.attrInts("strides", c.getStride()[0], c.getStride()[1]),
                OnnxGraph.attrInts("dilations", c.getDilation()[0], c.getDilation()[1])));
        attrs.add(padding(c.getConvolutionMode(), c.getPadding(), name));
        return g.node("Conv", name, inputs, attrs.toArray(onnx.Onnx.AttributeProto[]::new));
    }

    private String pool(SubsamplingLayer s, String x, String name) {
        if (s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
            throw new UnsupportedLayer("layer '" + name + "': dilated pooling cannot be exported to ONNX");
        }
        if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedLayer("layer '" + name + "': only channels-first (NCHW) pooling can be exported");
        }
        List<onnx.Onnx.AttributeProto> attrs = new ArrayList<>(List.of(
                OnnxGraph.attrInts("kernel_shape", s.getKernelSize()[0], s.getKernelSize()[1]),
                OnnxGraph.attrInts("strides", s.getStride()[0], s.getStride()[1]),
                padding(s.getConvolutionMode(), s.getPadding(), name)));
        if (s.getPoolingType() == PoolingType.MAX) {
            return g.node("MaxPool", name, List.of(x), attrs.toArray(onnx.Onnx.AttributeProto[]::new));
        }
        if (s.getPoolingType() == PoolingType.AVG) {
            attrs.add(OnnxGraph.attrInt("count_include_pad", s.isAvgPoolIncludePadInDivisor() ? 1 : 0));
            return g.node("AveragePool", name, List.of(x), attrs.toArray(onnx.Onnx.AttributeProto[]::new));
        }
        throw new UnsupportedLayer("layer '" + name + "': " + s.getPoolingType() + " pooling cannot be exported to ONNX");
    }

    private static onnx.Onnx.AttributeProto padding(ConvolutionMode mode, int[] pad, String name) {
        if (mode == ConvolutionMode.Same) {
            // DL4J's Same mode puts the odd padding pixel at the end, as SAME_UPPER does.
            return OnnxGraph.attrString("auto_pad", "SAME_UPPER");
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return OnnxGraph.attrInts("pads", pad[0], pad[1], pad[0], pad[1]);
        }
        throw new UnsupportedLayer("layer '" + name + "': convolution mode " + mode + " cannot be exported to ONNX");
    }

    private String batchNorm(BatchNormalization bn, org.deeplearning4j.nn.api.Layer impl, String x, String name) {
        INDArray mean = impl.getParam("mean");
        long n = mean.length();
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {n}, bn.getGamma(), DataType.FLOAT)
                : impl.getParam("gamma");
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {n}, bn.getBeta(), DataType.FLOAT)
                : impl.getParam("beta");
        INDArray variance = bn.isUseLogStd()
                // DL4J keeps log10(stdev): variance = (10^log10std)^2.
                ? Transforms.pow(Transforms.pow(Nd4j.valueArrayOf(impl.getParam("log10stdev").shape(), 10.0,
                        impl.getParam("log10stdev").dataType()), impl.getParam("log10stdev"), true), 2, false)
                : impl.getParam("var");
        return g.node("BatchNormalization", name, List.of(x, g.weight(name + "_scale", gamma, n),
                        g.weight(name + "_bias", beta, n), g.weight(name + "_mean", mean, n),
                        g.weight(name + "_var", variance, n)),
                OnnxGraph.attrFloat("epsilon", (float) bn.getEps()));
    }

    private String dense(FeedForwardLayer d, org.deeplearning4j.nn.api.Layer impl,
                         String x, String name) {
        INDArray w = impl.getParam("W"); // [nIn, nOut]
        List<String> inputs = new ArrayList<>(List.of(x, g.weight(name + "_W", w, w.shape())));
        INDArray b = impl.getParam("b");
        if (b != null) {
            inputs.add(g.weight(name + "_b", b, b.length()));
        }
        return g.node("Gemm", name, inputs);
    }

    private String globalPool(GlobalPoolingLayer p, String x, String name) {
        int[] dims = p.getPoolingDimensions();
        if (dims != null && !(dims.length == 2 && dims[0] == 2 && dims[1] == 3)) {
            throw new UnsupportedLayer("layer '" + name + "': global pooling over dimensions "
                    + Arrays.toString(dims) + " cannot be exported (only spatial 2,3)");
        }
        String pooled;
        if (p.getPoolingType() == PoolingType.AVG) {
            pooled = g.node("GlobalAveragePool", name, List.of(x));
        } else if (p.getPoolingType() == PoolingType.MAX) {
            pooled = g.node("GlobalMaxPool", name, List.of(x));
        } else {
            throw new UnsupportedLayer("layer '" + name + "': " + p.getPoolingType() + " global pooling cannot be exported");
        }
        return p.isCollapseDimensions() ? g.node("Flatten", name + "_flatten", List.of(pooled),
                OnnxGraph.attrInt("axis", 1)) : pooled;
    }

    private String activation(IActivation a, String x, String name) {
        if (a == null || a instanceof ActivationIdentity) {
            return x;
        }
        if (a instanceof ActivationReLU r) {
            if (r.getMax() != null || r.getThreshold() != null || r.getNegativeSlope() != null) {
                throw new UnsupportedLayer("layer '" + name + "': a ReLU with max, threshold or slope cannot be exported");
            }
            return g.node("Relu", name + "_relu", List.of(x));
        }
        if (a instanceof ActivationSoftmax) {
            return g.node("Softmax", name + "_softmax", List.of(x), OnnxGraph.attrInt("axis", 1));
        }
        if (a instanceof ActivationSigmoid) {
            return g.node("Sigmoid", name + "_sigmoid", List.of(x));
        }
        if (a instanceof ActivationTanH) {
            return g.node("Tanh", name + "_tanh", List.of(x));
        }
        if (a instanceof ActivationLReLU l) {
            return g.node("LeakyRelu", name + "_lrelu", List.of(x), OnnxGraph.attrFloat("alpha", (float) l.getAlpha()));
        }
        if (a instanceof ActivationELU e) {
            return g.node("Elu", name + "_elu", List.of(x), OnnxGraph.attrFloat("alpha", (float) e.getAlpha()));
        }
        if (a instanceof ActivationReLU6) {
            return g.node("Clip", name + "_relu6", List.of(x, g.weight(name + "_min", Nd4j.scalar(0f)),
                    g.weight(name + "_max", Nd4j.scalar(6f))));
        }
        throw new UnsupportedLayer("layer '" + name + "': activation " + a + " cannot be exported to ONNX");
    }

    private static String single(List<String> inputs, String name) {
        if (inputs.size() != 1) {
            throw new UnsupportedLayer("layer '" + name + "' has " + inputs.size() + " inputs; layers take one");
        }
        return inputs.get(0);
    }

    /** How many features the last layer reads (one forward pass of one zero image). */
    private static long embeddingSize(Model net, InputSpec spec) {
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 1, spec.channels(), spec.height(), spec.width());
        return Dl4jClassifier.embedding(net, zero).length();
    }

    /** How many classes the network outputs (one forward pass of one zero image). */
    private static long outputs(Model net, InputSpec spec) {
        try (INDArray zero = Nd4j.zeros(DataType.FLOAT, 1, spec.channels(), spec.height(), spec.width())) {
            INDArray out = net instanceof MultiLayerNetwork m ? m.output(zero, false)
                    : ((ComputationGraph) net).outputSingle(false, zero);
            return out.size(1);
        }
    }
}
