package io.argus.common.onnx;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.engine.Forward;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.image.InputSpec;
import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.model.ModelId;

/**
 * Checks an exported ONNX graph against the DL4J network it came from: both run the same random
 * inputs, and the largest difference between their outputs (probabilities, and the embedding that
 * out-of-distribution scores read), relative to the largest output, must stay under the tolerance. Bundles are only written when this holds.
 */
public final class OnnxParity {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxParity.class);

    public static final double TOLERANCE = 1e-4;

    private OnnxParity() {
    }

    /**
     * The largest relative difference over {@code samples} random inputs. The inputs are scaled
     * down until DL4J's outputs are {@linkplain #informative informative}: a randomly initialised
     * deep network (ResNet-50 with batch norm at its initial statistics) saturates its softmax on
     * unit-variance inputs, and two one-hot outputs agree whatever the layers in between
     * computed. ReLU networks scale with their input, so smaller inputs bring the outputs back.
     */
    public static double relativeError(Model network, byte[] onnx, InputSpec spec, int samples, long seed) {
        float[] base = new float[samples * spec.size()];
        Random random = new Random(seed);
        for (int i = 0; i < base.length; i++) {
            base[i] = (float) random.nextGaussian();
        }
        ModelId id = new ModelId("parity", 0);
        List<String> labels = List.of();
        Dl4jClassifier dl4j = new Dl4jClassifier(id, spec, labels, network);
        float[] input = base;
        float[][] expected = dl4j.classify(input, samples);
        for (double scale = 0.1; !informative(expected) && scale >= 1e-6; scale /= 10) {
            float[] scaled = new float[base.length];
            for (int i = 0; i < base.length; i++) {
                scaled[i] = (float) (base[i] * scale);
            }
            float[][] out = dl4j.classify(scaled, samples);
            if (informative(out)) {
                input = scaled;
                expected = out;
            }
        }
        if (!informative(expected)) {
            LOG.warn("The network's outputs are saturated or flat on every input scale tried; the parity check "
                    + "compares little");
        }
        try (OnnxClassifier onnxRuntime = new OnnxClassifier(id, spec, labels, onnx, OnnxSettings.CPU)) {
            Forward actual = onnxRuntime.forward(input, samples);
            double error = relative(expected, actual.probabilities());
            if (actual.hasEmbeddings()) {
                // The embedding out-of-distribution scores are computed from must agree as well.
                error = Math.max(error, relative(dl4j.forward(input, samples).embeddings(), actual.embeddings()));
            }
            return error;
        }
    }

    /** The largest difference between two outputs, relative to the largest expected value. */
    private static double relative(float[][] expected, float[][] actual) {
        if (expected == null || actual == null || expected.length != actual.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 1e-12;
        double diff = 0;
        for (int r = 0; r < expected.length; r++) {
            if (expected[r].length != actual[r].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < expected[r].length; c++) {
                scale = Math.max(scale, Math.abs(expected[r][c]));
                diff = Math.max(diff, Math.abs(expected[r][c] - actual[r][c]));
            }
        }
        return diff / scale;
    }

    /**
     * Whether outputs can tell a right translation from a wrong one: every row varies across its
     * columns, and no row of probabilities has a class at (nearly) 1.
     */
    public static boolean informative(float[][] outputs) {
        for (float[] row : outputs) {
            float max = Float.NEGATIVE_INFINITY;
            float min = Float.POSITIVE_INFINITY;
            double sum = 0;
            for (float v : row) {
                max = Math.max(max, v);
                min = Math.min(min, v);
                sum += v;
            }
            boolean probabilities = min >= 0 && Math.abs(sum - 1) < 1e-3;
            if (max - min <= 1e-3 * Math.max(Math.abs(max), Math.abs(min)) || probabilities && max > 0.99) {
                return false;
            }
        }
        return true;
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
