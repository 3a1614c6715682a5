package io.argus.tools.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import onnx.Onnx;

import io.argus.common.bench.Timing;

/**
 * The machine's float32 matrix-multiply speed, the yardstick for how much of the hardware a model
 * run uses: n x n times n x n through ND4J's BLAS (OpenBLAS) and through ONNX Runtime's MatMul
 * (MLAS), each engine's own GEMM. The best of the two is the machine's figure.
 */
final class Sgemm {

    /** One size on one library. */
    record Point(String library, int n, double gflops) {
    }

    record Result(List<Point> points, double best) {
    }

    private Sgemm() {
    }

    static Result measure(double secondsPerSize, int onnxThreads) throws OrtException {
        List<Point> points = new ArrayList<>();
        for (int n : new int[] {256, 512, 1024, 2048}) {
            double flops = 2.0 * n * n * n;
            try (INDArray a = Nd4j.rand(DataType.FLOAT, n, n); INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
                 INDArray c = Nd4j.create(DataType.FLOAT, n, n)) {
                Timing.Result t = Timing.run(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), 1, secondsPerSize);
                points.add(new Point("OpenBLAS (ND4J)", n, t.perSecond() * flops / 1e9));
            }
            points.add(new Point("MLAS (ONNX Runtime)", n, onnx(n, secondsPerSize, onnxThreads) * flops / 1e9));
        }
        double best = points.stream().mapToDouble(Point::gflops).max().orElse(0);
        return new Result(points, best);
    }

    /** MatMul calls per second in ONNX Runtime. */
    private static double onnx(int n, double seconds, int threads) throws OrtException {
        Onnx.TypeProto matrix = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(n))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(n)))).build();
        byte[] model = Onnx.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(Onnx.GraphProto.newBuilder().setName("sgemm")
                        .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").addInput("a").addInput("b")
                                .addOutput("c"))
                        .addInput(Onnx.ValueInfoProto.newBuilder().setName("a").setType(matrix))
                        .addInput(Onnx.ValueInfoProto.newBuilder().setName("b").setType(matrix))
                        .addOutput(Onnx.ValueInfoProto.newBuilder().setName("c").setType(matrix)))
                .build().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] values = new float[n * n];
        Random random = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, n});
                 OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, n})) {
                return Timing.run(() -> {
                    try (OrtSession.Result r = session.run(Map.of("a", a, "b", b))) {
                        // The product stays in native memory; only its presence matters.
                    } catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                }, 1, seconds).perSecond();
            }
        }
    }
}
