package io.argus.common.engine;

import java.util.List;
import java.util.Optional;

import io.argus.common.model.ModelId;
import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;

/**
 * A model that turns prepared images into class probabilities. The one seam between Argus and a
 * neural-network engine: services see this, never DL4J or ONNX Runtime.
 */
public interface ImageClassifier extends AutoCloseable {

    /** Which model and version this is; every result names it. */
    ModelId id();

    /** What {@link #classify} expects per image, as prepared by {@code ImagePreprocessor}. */
    InputSpec inputSpec();

    /** Where it runs, for logs and health: {@code dl4j (oneDNN)}, {@code onnxruntime (CPU)}... */
    String engine();

    /** Output labels, index-aligned with the probabilities. */
    List<String> labels();

    /**
     * Classifies {@code count} images in one forward pass.
     *
     * @param input {@code count} images of {@code inputSpec().size()} floats each, channels first
     * @return {@code count} rows of {@code labels().size()} probabilities
     */
    float[][] classify(float[] input, int count);

    /**
     * Classifies like {@link #classify} and also returns each image's penultimate-layer embedding
     * where the model has one (see {@link Forward}); what out-of-distribution scores read.
     */
    default Forward forward(float[] input, int count) {
        return new Forward(classify(input, count), null);
    }

    /**
     * How unlike its training data this model finds images, from their {@link Forward#embeddings()};
     * empty for a bundle without out-of-distribution statistics (made before bundles carried them).
     */
    default Optional<OodScorer> ood() {
        return Optional.empty();
    }

    /**
     * How images of {@code sensorId} are calibrated before {@link #classify} (the caller applies it
     * after preprocessing): part of the model version, identity for sensors it does not name.
     */
    default SensorCalibration calibrationFor(String sensorId) {
        return SensorCalibration.IDENTITY;
    }

    /** Releases native memory. */
    @Override
    void close();
}
