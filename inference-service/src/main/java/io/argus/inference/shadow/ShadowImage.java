package io.argus.inference.shadow;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.inference.outcome.Outcome;

/**
 * One image for the candidate, once the champion's result for it is committed: that result (its raw
 * record included) and the input the champion's forward pass took, so that a candidate that
 * prepares images the same way (same input spec, same calibration of this sensor) does not decode
 * the image again.
 *
 * @param input       the prepared, calibrated input the champion classified
 * @param spec        the champion's input spec
 * @param calibration the champion's calibration of this image's sensor
 */
public record ShadowImage(Outcome.Classified champion, float[] input, InputSpec spec, SensorCalibration calibration) {
}
