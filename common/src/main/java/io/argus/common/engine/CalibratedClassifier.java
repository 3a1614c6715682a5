package io.argus.common.engine;

import java.util.Map;

import io.argus.common.image.SensorCalibration;

/** A classifier whose model version calibrates some sensors' images (see {@link SensorCalibration}). */
final class CalibratedClassifier extends ForwardingClassifier {

    private final Map<String, SensorCalibration> calibrations;

    CalibratedClassifier(ImageClassifier inner, Map<String, SensorCalibration> calibrations) {
        super(inner);
        this.calibrations = Map.copyOf(calibrations);
    }

    @Override
    public SensorCalibration calibrationFor(String sensorId) {
        SensorCalibration c = sensorId == null ? null : calibrations.get(sensorId);
        return c == null ? SensorCalibration.IDENTITY : c;
    }
}
