package io.argus.common.contract;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.argus.common.error.ContractViolation;

/**
 * A labeled image on the compacted {@code argus.labels} topic: key = sample id, value = the image
 * file's bytes, the rest in headers. The topic IS the training set: the latest record per sample
 * id counts, a tombstone (null value) removes the sample.
 *
 * <p>Schema version 2 (this one) says where the image came from, so that a run can replay the
 * base's data and a gate can judge every sensor: the {@link Origin} (which sensor took it, when,
 * and the exact raw record it was labeled from) and the {@code source} of the label (a person, or
 * the dataset a base model was trained on). Version 1 records (no origin, no source) still read:
 * as labels given by a person, with an unknown sensor.
 *
 * @param source who says this is the label: {@link #PERSON} or {@code dataset:<name>} (base data)
 */
public record LabeledSample(String sampleId, String label, String labeler, Instant labeledAt, String source,
                            Origin origin, byte[] bytes) {

    public static final int SCHEMA = 2;

    /** A label a person gave, through the API or the review desk. */
    public static final String PERSON = "person";
    /** The prefix of the source of a base model's own training data, e.g. {@code dataset:fashion-mnist}. */
    public static final String DATASET_PREFIX = "dataset:";

    public static final String LABEL = "argus-label";
    public static final String LABELER = "argus-labeler";
    public static final String LABELED_AT = "argus-labeled-at";
    public static final String SOURCE = "argus-label-source";
    public static final String SOURCE_IMAGE_ID = "argus-source-image-id";
    public static final String SENSOR_ID = "argus-sensor-id";
    public static final String CAPTURED_AT = "argus-captured-at";
    public static final String RAW_TOPIC = "argus-raw-topic";
    public static final String RAW_PARTITION = "argus-raw-partition";
    public static final String RAW_OFFSET = "argus-raw-offset";
    public static final String RAW_SHA256 = "argus-raw-sha256";
    public static final String SCHEMA_VERSION = "argus-schema-version";

    /** Longest label accepted. */
    public static final int MAX_LABEL_LENGTH = 64;

    /**
     * Where the labeled image came from; every part may be unknown (null).
     *
     * @param imageId the image id on argus.images.raw it was labeled from; null for uploads and base data
     * @param raw     the exact raw record that was classified and shown; null for uploads and base data
     */
    public record Origin(String imageId, String sensorId, Instant capturedAt, RawRecord raw) {

        public static final Origin UNKNOWN = new Origin(null, null, null, null);
    }

    /** One record of the raw topic, and the SHA-256 of its value (the image bytes). */
    public record RawRecord(String topic, int partition, long offset, String sha256) {

        @Override
        public String toString() {
            return topic + "/" + partition + "/" + offset;
        }
    }

    public boolean fromPerson() {
        return PERSON.equals(source);
    }

    public boolean fromDataset() {
        return source != null && source.startsWith(DATASET_PREFIX);
    }

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        List<Header> headers = new ArrayList<>(12);
        headers.add(header(LABEL, label));
        headers.add(header(LABELER, labeler));
        headers.add(header(LABELED_AT, labeledAt.toString()));
        headers.add(header(SOURCE, source));
        Origin o = origin == null ? Origin.UNKNOWN : origin;
        if (o.imageId() != null) {
            headers.add(header(SOURCE_IMAGE_ID, o.imageId()));
        }
        if (o.sensorId() != null) {
            headers.add(header(SENSOR_ID, o.sensorId()));
        }
        if (o.capturedAt() != null) {
            headers.add(header(CAPTURED_AT, o.capturedAt().toString()));
        }
        if (o.raw() != null) {
            headers.add(header(RAW_TOPIC, o.raw().topic()));
            headers.add(header(RAW_PARTITION, Integer.toString(o.raw().partition())));
            headers.add(header(RAW_OFFSET, Long.toString(o.raw().offset())));
            headers.add(header(RAW_SHA256, o.raw().sha256()));
        }
        headers.add(header(SCHEMA_VERSION, Integer.toString(SCHEMA)));
        return new ProducerRecord<>(topic, null, sampleId, bytes, headers);
    }

    /** The tombstone that removes a sample from the training set. */
    public static ProducerRecord<String, byte[]> tombstone(String topic, String sampleId) {
        return new ProducerRecord<>(topic, sampleId, null);
    }

    /** Reads a label record (not a tombstone), of schema version 1 or 2. */
    public static LabeledSample fromRecord(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        String version = RawImage.text(h, SCHEMA_VERSION);
        if (version != null && !version.equals("1") && !version.equals(Integer.toString(SCHEMA))) {
            throw new ContractViolation("UNSUPPORTED_SCHEMA", "label record " + r.key() + " has schema version "
                    + Identifiers.quote(version) + "; this reader knows 1 and " + SCHEMA);
        }
        String label = RawImage.text(h, LABEL);
        if (label == null) {
            throw new ContractViolation("INVALID_HEADER", "label record " + r.key() + " has no " + LABEL + " header");
        }
        String at = RawImage.text(h, LABELED_AT);
        String source = RawImage.text(h, SOURCE);
        String captured = RawImage.text(h, CAPTURED_AT);
        return new LabeledSample(r.key(), label, RawImage.text(h, LABELER),
                at == null ? Instant.ofEpochMilli(r.timestamp()) : RawImage.parseInstant(at),
                source == null ? PERSON : source,
                new Origin(RawImage.text(h, SOURCE_IMAGE_ID), RawImage.text(h, SENSOR_ID),
                        captured == null ? null : RawImage.parseInstant(captured), raw(h, r.key())),
                r.value());
    }

    private static RawRecord raw(Headers h, String key) {
        String topic = RawImage.text(h, RAW_TOPIC);
        if (topic == null) {
            return null;
        }
        try {
            return new RawRecord(topic, Integer.parseInt(RawImage.text(h, RAW_PARTITION)),
                    Long.parseLong(RawImage.text(h, RAW_OFFSET)), RawImage.text(h, RAW_SHA256));
        } catch (NumberFormatException e) {
            throw new ContractViolation("INVALID_HEADER", "label record " + key + " names its raw record badly");
        }
    }

    /**
     * A label as people type it, made canonical: Unicode NFC, invisible characters (zero-width
     * spaces and joiners, byte-order marks) removed, runs of spaces made one, trimmed. Refused when
     * empty, over {@link #MAX_LABEL_LENGTH} characters or containing control characters.
     */
    public static String normalizeLabel(String label) {
        String l = label == null ? "" : Normalizer.normalize(label, Normalizer.Form.NFC);
        if (l.chars().anyMatch(c -> Character.isISOControl(c) && !Character.isWhitespace(c))) {
            throw new ContractViolation("INVALID_LABEL", "the label contains control characters");
        }
        StringBuilder b = new StringBuilder(l.length());
        l.codePoints().filter(c -> Character.getType(c) != Character.FORMAT)
                .map(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) ? ' ' : c)
                .forEach(b::appendCodePoint);
        l = b.toString().strip().replaceAll(" {2,}", " ");
        if (l.isEmpty()) {
            throw new ContractViolation("INVALID_LABEL", "the label is empty");
        }
        if (l.length() > MAX_LABEL_LENGTH) {
            throw new ContractViolation("INVALID_LABEL",
                    "the label is " + l.length() + " characters; at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        return l;
    }

    /**
     * What two labels share when they differ only by case, spacing or invisible characters: two
     * classes with the same look-alike key are almost certainly one class typed twice.
     */
    public static String lookAlikeKey(String normalizedLabel) {
        return normalizedLabel.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
