package io.argus.common.contract;

import java.time.Instant;

/**
 * A sensor flagged as drifted, or cleared, on {@code argus.sensors.drift}, keyed by sensor id
 * (compaction keeps each sensor's latest state).
 *
 * @param state         {@code DRIFTED} (the score reached the threshold) or {@code CLEARED} (it fell
 *                      under the clearing level)
 * @param score         the drift score when it happened: the larger of the two PSIs
 * @param confidencePsi PSI of the confidence distribution against the model's reference
 * @param classPsi      PSI of the predicted-class distribution against the model's reference
 * @param window        how many of the sensor's latest images the score is over
 * @param threshold     the score that flags a sensor
 * @param clearBelow    the score under which a flagged sensor is cleared
 * @param modelVersion  the version whose answers and reference were compared
 * @param imageId       the image whose answer crossed the line
 * @param reason        in words, for people
 */
public record DriftEvent(int schemaVersion, String sensorId, State state, double score, double confidencePsi,
                         double classPsi, int window, double threshold, double clearBelow, String modelName,
                         int modelVersion, String imageId, String reason, Instant at) {

    public static final int SCHEMA_VERSION = 1;

    public enum State { DRIFTED, CLEARED }
}
