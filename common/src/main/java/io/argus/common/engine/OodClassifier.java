package io.argus.common.engine;

import java.util.List;
import java.util.Optional;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.ModelId;

/** A classifier whose bundle carries out-of-distribution statistics: it offers their {@link OodScorer}. */
public final class OodClassifier implements ImageClassifier {

    private final ImageClassifier inner;
    private final OodScorer scorer;

    public OodClassifier(ImageClassifier inner, OodScorer scorer) {
        this.inner = inner;
        this.scorer = scorer;
    }

    @Override
    public Optional<OodScorer> ood() {
        return Optional.of(scorer);
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
    public void close() {
        inner.close();
    }
}
