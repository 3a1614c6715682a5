package io.argus.common.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.argus.common.error.ContractViolation;

/**
 * A labeled image on the compacted {@code argus.labels} topic: key = sample id, value = the image
 * file's bytes, the rest in headers. The topic IS the training set: the latest record per sample
 * id counts, a tombstone (null value) removes the sample.
 *
 * @param sourceImageId the image id on argus.images.raw it was labeled from, or null for uploads
 */
public record LabeledSample(String sampleId, String label, String labeler, Instant labeledAt, String sourceImageId,
                            byte[] bytes) {

    public static final String LABEL = "argus-label";
    public static final String LABELER = "argus-labeler";
    public static final String LABELED_AT = "argus-labeled-at";
    public static final String SOURCE_IMAGE_ID = "argus-source-image-id";
    public static final String SCHEMA_VERSION = "argus-schema-version";

    /** Longest label accepted. */
    public static final int MAX_LABEL_LENGTH = 64;

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        List<Header> headers = new ArrayList<>(5);
        headers.add(header(LABEL, label));
        headers.add(header(LABELER, labeler));
        headers.add(header(LABELED_AT, labeledAt.toString()));
        if (sourceImageId != null) {
            headers.add(header(SOURCE_IMAGE_ID, sourceImageId));
        }
        headers.add(header(SCHEMA_VERSION, "1"));
        return new ProducerRecord<>(topic, null, sampleId, bytes, headers);
    }

    /** The tombstone that removes a sample from the training set. */
    public static ProducerRecord<String, byte[]> tombstone(String topic, String sampleId) {
        return new ProducerRecord<>(topic, sampleId, null);
    }

    /** Reads a label record (not a tombstone). */
    public static LabeledSample fromRecord(ConsumerRecord<String, byte[]> r) {
        String label = RawImage.text(r.headers(), LABEL);
        if (label == null) {
            throw new ContractViolation("INVALID_HEADER", "label record " + r.key() + " has no " + LABEL + " header");
        }
        String at = RawImage.text(r.headers(), LABELED_AT);
        return new LabeledSample(r.key(), label, RawImage.text(r.headers(), LABELER),
                at == null ? Instant.ofEpochMilli(r.timestamp()) : RawImage.parseInstant(at),
                RawImage.text(r.headers(), SOURCE_IMAGE_ID), r.value());
    }

    /**
     * A label as people type it, trimmed; refused when empty, over {@link #MAX_LABEL_LENGTH}
     * characters or containing control characters.
     */
    public static String normalizeLabel(String label) {
        String l = label == null ? "" : label.strip();
        if (l.isEmpty()) {
            throw new ContractViolation("INVALID_LABEL", "the label is empty");
        }
        if (l.length() > MAX_LABEL_LENGTH) {
            throw new ContractViolation("INVALID_LABEL",
                    "the label is " + l.length() + " characters; at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        if (l.chars().anyMatch(Character::isISOControl)) {
            throw new ContractViolation("INVALID_LABEL", "the label contains control characters");
        }
        return l;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
