package io.argus.common.contract;

import java.time.Instant;

/**
 * A sensor flagged as drifted, or cleared, on {@code argus.sensors.drift}, keyed by sensor id
 * (compaction keeps each sensor's latest state).
 *
 * @param state         {@code DRIFTED} (the score reached the threshold) or {@code CLEARED} (it fell
 *                      under the clearing level)
 * @param score         the drift score when it happened: the largest of its parts
 * @param confidencePsi PSI of the confidence distribution against the model's reference
 * @param classPsi      PSI of the predicted-class distribution against the model's reference
 * @param embedding     the embedding part (the window's mean embedding against the reference's,
 *                      on the PSI's scale); null when it is off (a reference without an embedding
 *                      summary) or not yet known
 * @param part          which part makes the score: {@code confidence}, {@code class} or {@code embedding}
 * @param window        how many of the sensor's latest images the score is over
 * @param threshold     the score that flags a sensor
 * @param clearBelow    the score under which a flagged sensor is cleared
 * @param modelVersion  the version whose answers and reference were compared
 * @param imageId       the image whose answer crossed the line
 * @param reason        in words, for people
 */
public record DriftEvent(int schemaVersion, String sensorId, State state, double score, double confidencePsi,
                         double classPsi, Double embedding, String part, int window, double threshold, double clearBelow, String modelName,
                         int modelVersion, String imageId, String reason, Instant at) {

    public static final int SCHEMA_VERSION = 1;

    public enum State { DRIFTED, CLEARED }
}
