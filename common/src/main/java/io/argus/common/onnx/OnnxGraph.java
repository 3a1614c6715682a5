package io.argus.common.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import onnx.Onnx;

/** Builds an ONNX graph node by node: names, initializers (weights) and typed attributes. */
final class OnnxGraph {

    static final int OPSET = 13;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("argus");
    private int counter;

    /** A fresh value name, readable in tools like Netron. */
    String name(String hint) {
        return hint.replaceAll("[^A-Za-z0-9_]", "_") + "_" + counter++;
    }

    /** Adds a float initializer (a weight) of the given shape and returns its name. */
    String weight(String hint, INDArray values, long... shape) {
        String n = name(hint);
        float[] data = values.castTo(DataType.FLOAT).dup('c').data().asFloat();
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
    String ints(String hint, long... values) {
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
    String node(String opType, String hint, List<String> inputs, Onnx.AttributeProto... attributes) {
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

    static Onnx.AttributeProto attrInts(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static Onnx.AttributeProto attrInt(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    static Onnx.AttributeProto attrFloat(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    static Onnx.AttributeProto attrString(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    /**
     * The finished model: one float input [batch, c, h, w], one float output [batch, classes] and,
     * when {@code lastFeatures} is not null, a second one [batch, features] named {@code embedding}.
     */
    byte[] model(String input, long[] inputShape, String last, String output, long classes, String lastFeatures,
                 String embedding, long features) {
        graph.addInput(valueInfo(input, inputShape));
        graph.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name("Identity")).addInput(last)
                .addOutput(output));
        graph.addOutput(valueInfo(output, new long[] {-1, classes}));
        if (lastFeatures != null) {
            graph.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name("Identity"))
                    .addInput(lastFeatures).addOutput(embedding));
            graph.addOutput(valueInfo(embedding, new long[] {-1, features}));
        }
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
