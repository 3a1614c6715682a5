package io.argus.common.engine;

import java.util.List;
import java.util.Map;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.ModelId;

/** A classifier whose model version calibrates some sensors' images (see {@link SensorCalibration}). */
final class CalibratedClassifier implements ImageClassifier {

    private final ImageClassifier inner;
    private final Map<String, SensorCalibration> calibrations;

    CalibratedClassifier(ImageClassifier inner, Map<String, SensorCalibration> calibrations) {
        this.inner = inner;
        this.calibrations = Map.copyOf(calibrations);
    }

    @Override
    public SensorCalibration calibrationFor(String sensorId) {
        SensorCalibration c = sensorId == null ? null : calibrations.get(sensorId);
        return c == null ? SensorCalibration.IDENTITY : c;
    }

    @Override
    public ModelId id() {
        return inner.id();
    }

    @Override
    public InputSpec inputSpec() {
        return inner.inputSpec();
    }

    @Override
    public String engine() {
        return inner.engine();
    }

    @Override
    public List<String> labels() {
        return inner.labels();
    }

    @Override
    public float[][] classify(float[] input, int count) {
        return inner.classify(input, count);
    }

    @Override
    public Forward forward(float[] input, int count) {
        return inner.forward(input, count);
    }

    @Override
    public java.util.Optional<io.argus.common.engine.OodScorer> ood() {
        return inner.ood();
    }

    @Override
    public void close() {
        inner.close();
    }
}
