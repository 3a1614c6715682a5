package io.argus.common.contract;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.error.ContractViolation;
import io.argus.common.json.Json;

/**
 * One image's result, the value on {@code argus.images.classified} (keyed by image id) and, with
 * {@code reviewReason} set, on {@code argus.images.review}.
 *
 * @param topK         the best labels, most confident first; {@code label}/{@code confidence} repeat the first
 * @param modelVersion the version of the model that produced this result
 * @param source       where the image bytes are on the raw topic (how labelers and the trainer find them)
 * @param reviewReason why people should look at it; null on the classified topic
 * @param ood          how unlike the model's training data the image is; null when the model's
 *                     bundle has no out-of-distribution statistics (made before bundles carried them)
 */
public record Classification(
        int schemaVersion,
        String imageId,
        String sensorId,
        Instant capturedAt,
        String label,
        double confidence,
        List<LabelScore> topK,
        String modelName,
        int modelVersion,
        Source source,
        Timings timings,
        String reviewReason,
        Ood ood) {

    public static final int SCHEMA_VERSION = 1;

    public record LabelScore(String label, double confidence) {
    }

    /**
     * The out-of-distribution score of the image and the model's threshold: the largest of its
     * components, each scaled by ordinary held-out images (see {@code OodScorer} and {@code
     * docs/serving.md}). Over the threshold, it goes to review as unlike the training data.
     */
    public record Ood(double score, double threshold) {

        public boolean over() {
            return score > threshold;
        }
    }

    /**
     * Where the image is on the raw topic, and the SHA-256 of its bytes: the exact record a label
     * given for this result binds to (image ids are chosen by clients and need not be unique).
     *
     * @param sha256 of the record's value; null in results written before results carried it
     */
    public record Source(String topic, int partition, long offset, String sha256) {

        /** A position without the checksum. */
        public Source(String topic, int partition, long offset) {
            this(topic, partition, offset, null);
        }

        /** The same record: topic, partition and offset (a checksum, when both have one, must agree). */
        public boolean sameRecord(Source other) {
            return topic.equals(other.topic) && partition == other.partition && offset == other.offset;
        }
    }

    /**
     * @param ingestedAt   when the raw record was written to Kafka (its timestamp)
     * @param classifiedAt when this result was produced
     * @param decodeMs     decode and preprocessing of this image
     * @param inferenceMs  the forward pass of the batch this image was in
     * @param batchSize    how many images that forward pass held
     */
    public record Timings(Instant ingestedAt, Instant classifiedAt, double decodeMs, double inferenceMs,
                          int batchSize) {
    }

    /**
     * The classification a record of the classified or review topic holds; empty for a record
     * without key or value (a tombstone) or one that is not a classification, which followers of
     * those topics skip.
     */
    public static Optional<Classification> fromRecord(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(record.value(), Classification.class));
        } catch (ContractViolation e) {
            return Optional.empty();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a result; {@code label} and {@code confidence} are the first of the top-k. */
    public static final class Builder {
        private String imageId;
        private String sensorId;
        private Instant capturedAt;
        private List<LabelScore> topK = List.of();
        private String modelName;
        private int modelVersion;
        private Source source;
        private Timings timings;
        private Ood ood;

        private Builder() {
        }

        /** Which image: its id, the sensor that took it and when. */
        public Builder image(String imageId, String sensorId, Instant capturedAt) {
            this.imageId = imageId;
            this.sensorId = sensorId;
            this.capturedAt = capturedAt;
            return this;
        }

        /** The best labels, most confident first. */
        public Builder topK(List<LabelScore> topK) {
            this.topK = List.copyOf(topK);
            return this;
        }

        public Builder model(String name, int version) {
            this.modelName = name;
            this.modelVersion = version;
            return this;
        }

        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        public Builder timings(Timings timings) {
            this.timings = timings;
            return this;
        }

        /** The out-of-distribution score; none for a model without OOD statistics. */
        public Builder ood(Ood ood) {
            this.ood = ood;
            return this;
        }

        public Classification build() {
            LabelScore best = topK.isEmpty() ? null : topK.get(0);
            return new Classification(SCHEMA_VERSION, imageId, sensorId, capturedAt, best == null ? null : best.label(),
                    best == null ? 0 : best.confidence(), topK, modelName, modelVersion, source, timings, null, ood);
        }
    }

    public Classification forReview(String reason) {
        return new Classification(schemaVersion, imageId, sensorId, capturedAt, label, confidence, topK, modelName,
                modelVersion, source, timings, reason, ood);
    }
}
