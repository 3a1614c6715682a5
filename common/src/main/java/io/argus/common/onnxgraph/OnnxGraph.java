package io.argus.common.onnxgraph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import onnx.Onnx;

/**
 * Builds an ONNX graph node by node: names, initializers (weights) and typed attributes. Below both
 * the exporter ({@code common.onnx}) and the engines ({@code common.engine}), which build graphs of
 * their own (the out-of-distribution score's pixel components).
 */
public final class OnnxGraph {

    public static final int OPSET = 13;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("argus");
    private int counter;

    /** A fresh value name, readable in tools like Netron. */
    public String name(String hint) {
        return hint.replaceAll("[^A-Za-z0-9_]", "_") + "_" + counter++;
    }

    /** Adds a float initializer (a weight) of the given shape and returns its name. */
    public String weight(String hint, INDArray values, long... shape) {
        return weight(hint, values.castTo(DataType.FLOAT).dup('c').data().asFloat(), shape);
    }

    /** Adds a float initializer of the given shape, {@code data} in row-major order, and returns its name. */
    public String weight(String hint, float[] data, long... shape) {
        String n = name(hint);
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            bytes.putFloat(f);
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(n)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return n;
    }

    /** Adds an int64 initializer (shapes, pads) and returns its name. */
    public String ints(String hint, long... values) {
        String n = name(hint);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bytes.putLong(v);
        }
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(n).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array())));
        return n;
    }

    /** Adds a node and returns the name of its (single) output. */
    public String node(String opType, String hint, List<String> inputs, Onnx.AttributeProto... attributes) {
        String out = name(hint);
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType(opType).setName(name(opType))
                .addOutput(out);
        inputs.forEach(node::addInput);
        for (Onnx.AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return out;
    }

    public static Onnx.AttributeProto attrInts(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static Onnx.AttributeProto attrInt(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    public static Onnx.AttributeProto attrFloat(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    public static Onnx.AttributeProto attrString(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    /**
     * The finished model: one float input [batch, c, h, w], one float output [batch, classes] and,
     * when {@code lastFeatures} is not null, a second one [batch, features] named {@code embedding}.
     */
    public byte[] model(String input, long[] inputShape, String last, String output, long classes, String lastFeatures,
                 String embedding, long features) {
        input(input, inputShape);
        output(last, output, -1, classes);
        if (lastFeatures != null) {
            output(lastFeatures, embedding, -1, features);
        }
        return model();
    }

    /** Declares a float input of the graph; a negative dimension is the batch. */
    public void input(String name, long... shape) {
        graph.addInput(valueInfo(name, shape));
    }

    /** Makes {@code value} an output of the graph named {@code name}; a negative dimension is the batch. */
    public void output(String value, String name, long... shape) {
        graph.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name("Identity")).addInput(value)
                .addOutput(name));
        graph.addOutput(valueInfo(name, shape));
    }

    /** The finished model, its inputs and outputs declared. */
    public byte[] model() {
        return Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("argus").setProducerVersion("1")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build().toByteArray();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long[] shape) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(s))).build();
    }
}
