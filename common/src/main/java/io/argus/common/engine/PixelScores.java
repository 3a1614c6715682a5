package io.argus.common.engine;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.argus.common.model.OodReference;

/**
 * The pixel components ({@link OodScorer#PIXEL_RESIDUAL}, {@link OodScorer#PIXEL_DEVIATION},
 * {@link OodScorer#PIXEL_MAHALANOBIS}) of a batch in one ONNX Runtime run of
 * {@link PixelComponentsGraph}: 2 x components x size multiply-adds per image (78,400 for 50
 * components of a 28 x 28 input), more than the small model's forward pass, as two matrix products
 * over the batch. Measured against the JIT-vectorised Java it replaces, image by image on the
 * classification thread: 2.9 against 6.9 µs per image in batches of 32 (docs/serving.md). The sums
 * run in floats, in another order than the definition's: within 3e-7 relative of it in doubles
 * (PixelComponentsTest).
 */
final class PixelScores implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int size;
    private final List<String> components;

    /** A session computing {@code components}, pixel components each. */
    PixelScores(OodReference.Pixels reference, List<String> components) {
        this.size = reference.size();
        this.components = List.copyOf(components);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // One thread: on this graph a second one bought 0.6 µs of wall time per image for 1.6 µs of CPU,
            // and the classification thread runs it beside the decoding, Kafka and the broker.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(PixelComponentsGraph.of(reference, this.components), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the pixel components' graph: " + e.getMessage(), e);
        }
    }

    /** Each component of the first {@code count} images of {@code inputs}. */
    Map<String, double[]> scores(float[] inputs, int count) {
        if (inputs.length < count * size) {
            throw new IllegalArgumentException("inputs of " + inputs.length + " floats; " + count + " images need "
                    + count * size);
        }
        Map<String, double[]> out = new HashMap<>();
        if (count == 0) {
            components.forEach(c -> out.put(c, new double[0]));
            return out;
        }
        Set<String> outputs = new HashSet<>();
        components.forEach(c -> outputs.add(PixelComponentsGraph.output(c)));
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs, 0, count * size),
                new long[] {count, size});
             OrtSession.Result result = session.run(Map.of(PixelComponentsGraph.INPUT, tensor), outputs)) {
            for (String c : components) {
                float[] values = (float[]) result.get(PixelComponentsGraph.output(c)).orElseThrow().getValue();
                double[] scores = new double[count];
                for (int i = 0; i < count; i++) {
                    scores[i] = values[i];
                }
                out.put(c, scores);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the pixel components: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the pixel components' session: " + e.getMessage(), e);
        }
    }
}
