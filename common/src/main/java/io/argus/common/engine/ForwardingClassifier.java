package io.argus.common.engine;

import java.util.List;
import java.util.Optional;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.ModelId;

/**
 * A classifier that adds one thing to another and hands everything else to it: the base of the
 * decorators a bundle's extras put around an engine (sensor calibrations, the out-of-distribution
 * score), so that each of them says only what it adds.
 */
abstract class ForwardingClassifier implements ImageClassifier {

    protected final ImageClassifier inner;

    protected ForwardingClassifier(ImageClassifier inner) {
        this.inner = inner;
    }

    @Override
    public Forward forward(float[] input, int count) {
        return inner.forward(input, count);
    }

    @Override
    public float[][] classify(float[] input, int count) {
        return inner.classify(input, count);
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
    public SensorCalibration calibrationFor(String sensorId) {
        return inner.calibrationFor(sensorId);
    }

    @Override
    public Optional<OodScorer> ood() {
        return inner.ood();
    }

    @Override
    public void close() {
        inner.close();
    }
}
