package io.argus.learning.calibration;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.engine.OnnxClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelId;
import io.argus.common.onnx.OnnxExporter;
import io.argus.learning.training.Networks;

/** A network as it serves: prepared images in, class probabilities out (no training-mode behaviour). */
public interface Forward extends AutoCloseable {

    /** {@code count} images of {@code spec.size()} floats each, channels first. */
    float[][] probabilities(float[] inputs, int count);

    @Override
    default void close() {
    }

    /** A DL4J network in inference mode, in batches of at most 256. */
    static Forward of(Model net, InputSpec spec) {
        return (inputs, count) -> {
            int size = spec.size();
            float[][] out = new float[count][];
            for (int from = 0; from < count; from += 256) {
                int n = Math.min(256, count - from);
                float[] x = from == 0 && n == count ? inputs : Arrays.copyOfRange(inputs, from * size, (from + n) * size);
                try (INDArray in = Nd4j.create(x, new long[] {n, spec.channels(), spec.height(), spec.width()}, 'c');
                     INDArray p = Networks.output(net, in)) {
                    float[][] rows = p.toFloatMatrix();
                    System.arraycopy(rows, 0, out, from, n);
                }
            }
            return out;
        };
    }

    /**
     * The same network on ONNX Runtime, which runs a small CNN on a few dozen images many times
     * faster than DL4J (no per-call overhead to speak of): what fitting a calibration needs, since
     * it runs the network thousands of times. Falls back to DL4J for a network the exporter cannot
     * translate. Close it to free the session.
     */
    static Forward fast(Model net, InputSpec spec, int outputs) {
        byte[] onnx;
        try {
            onnx = OnnxExporter.export(net, spec);
        } catch (RuntimeException e) {
            return of(net, spec);
        }
        List<String> labels = IntStream.range(0, outputs).mapToObj(Integer::toString).toList();
        OnnxClassifier session = new OnnxClassifier(new ModelId("calibration", 0), spec, labels, onnx,
                OnnxSettings.CPU);
        return new Forward() {
            @Override
            public float[][] probabilities(float[] inputs, int count) {
                return session.classify(inputs, count);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
