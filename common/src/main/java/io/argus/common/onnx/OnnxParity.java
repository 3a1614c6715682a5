package io.argus.common.onnx;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.image.InputSpec;
import io.argus.common.model.Dl4jClassifier;
import io.argus.common.model.ModelId;

/**
 * Checks an exported ONNX graph against the DL4J network it came from: both run the same random
 * inputs, and the largest difference between their outputs, relative to the largest output, must
 * stay under the tolerance. Bundles are only written when this holds.
 */
public final class OnnxParity {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxParity.class);

    public static final double TOLERANCE = 1e-4;

    private OnnxParity() {
    }

    /** The largest relative difference over {@code samples} random inputs. */
    public static double relativeError(Model network, byte[] onnx, InputSpec spec, int samples, long seed) {
        float[] input = new float[samples * spec.size()];
        Random random = new Random(seed);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        ModelId id = new ModelId("parity", 0);
        List<String> labels = List.of();
        float[][] expected = new Dl4jClassifier(id, spec, labels, network).classify(input, samples);
        try (OnnxClassifier onnxRuntime = new OnnxClassifier(id, spec, labels, onnx, OnnxSettings.CPU)) {
            float[][] actual = onnxRuntime.classify(input, samples);
            double scale = 1e-12;
            double diff = 0;
            for (int r = 0; r < expected.length; r++) {
                for (int c = 0; c < expected[r].length; c++) {
                    scale = Math.max(scale, Math.abs(expected[r][c]));
                    diff = Math.max(diff, Math.abs(expected[r][c] - actual[r][c]));
                }
            }
            return diff / scale;
        }
    }

    /** Exports and checks; throws if the ONNX graph does not compute what the network computes. */
    public static byte[] exportChecked(Model network, InputSpec spec) {
        long start = System.nanoTime();
        byte[] onnx = OnnxExporter.export(network, spec);
        double error = relativeError(network, onnx, spec, 4, 42);
        if (!(error <= TOLERANCE)) {
            throw new IllegalStateException("the ONNX export differs from the DL4J network by " + error
                    + " (relative); more than " + TOLERANCE);
        }
        LOG.info("Exported to ONNX ({} KB) in {} ms; on random inputs it differs from DL4J by {} (relative, limit {})",
                onnx.length / 1024, (System.nanoTime() - start) / 1_000_000, String.format("%.1e", error), TOLERANCE);
        return onnx;
    }
}
