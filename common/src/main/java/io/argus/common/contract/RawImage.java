package io.argus.common.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.argus.common.error.ContractViolation;

/**
 * An image on {@code argus.images.raw}: key = sensor id (keeps each sensor's order), value = the
 * image file's bytes unchanged, everything else in headers ({@link ImageHeaders}).
 *
 * <p>Reading is lenient about <em>missing</em> headers, so that a camera or {@code kcat} can
 * produce with few or none: a missing image id becomes {@code <topic>-<partition>-<offset>}, a
 * missing sensor id the record key (or {@code unknown}), a missing capture time the record
 * timestamp, a missing content type is sniffed later from the bytes, a missing schema version
 * means 1. It is strict about <em>present but unreadable</em> headers: those throw a
 * {@link ContractViolation} so the record goes to the dead-letter topic with the reason.
 */
public record RawImage(String imageId, String sensorId, Instant capturedAt, String contentType, String meta,
                       byte[] bytes) {

    public static final int SCHEMA_VERSION = 1;
    public static final String UNKNOWN_SENSOR = "unknown";
    /** Longest header value accepted; longer ones are a contract violation, not a buffer to fill. */
    public static final int MAX_HEADER_BYTES = 4096;

    /** The record to publish. */
    public ProducerRecord<String, byte[]> toRecord(String topic) {
        List<Header> headers = new ArrayList<>(6);
        headers.add(header(ImageHeaders.IMAGE_ID, imageId));
        headers.add(header(ImageHeaders.SENSOR_ID, sensorId));
        headers.add(header(ImageHeaders.CAPTURED_AT, capturedAt.toString()));
        if (contentType != null) {
            headers.add(header(ImageHeaders.CONTENT_TYPE, contentType));
        }
        headers.add(header(ImageHeaders.SCHEMA_VERSION, Integer.toString(SCHEMA_VERSION)));
        if (meta != null) {
            headers.add(header(ImageHeaders.META, meta));
        }
        return new ProducerRecord<>(topic, null, sensorId, bytes, headers);
    }

    /** Reads a raw-topic record, filling in what is missing as the class comment describes. */
    public static RawImage fromRecord(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String version = text(headers, ImageHeaders.SCHEMA_VERSION);
        if (version != null && !version.equals(Integer.toString(SCHEMA_VERSION))) {
            throw new ContractViolation("UNSUPPORTED_SCHEMA",
                    "schema version " + Identifiers.quote(version) + " is not supported (this reader knows "
                            + SCHEMA_VERSION + ")");
        }
        String imageId = text(headers, ImageHeaders.IMAGE_ID);
        imageId = imageId == null
                ? record.topic() + "-" + record.partition() + "-" + record.offset()
                : Identifiers.require("header " + ImageHeaders.IMAGE_ID, imageId);
        String sensorId = text(headers, ImageHeaders.SENSOR_ID);
        if (sensorId == null) {
            sensorId = record.key() != null && !record.key().isEmpty() ? record.key() : UNKNOWN_SENSOR;
        }
        sensorId = Identifiers.require("sensor id", sensorId);
        String captured = text(headers, ImageHeaders.CAPTURED_AT);
        Instant capturedAt = captured == null ? Instant.ofEpochMilli(record.timestamp()) : parseInstant(captured);
        return new RawImage(imageId, sensorId, capturedAt, text(headers, ImageHeaders.CONTENT_TYPE),
                text(headers, ImageHeaders.META), record.value());
    }

    /** Parses an ISO-8601 instant, as a capture time is written. */
    public static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ContractViolation("INVALID_HEADER",
                    "capture time must be an ISO-8601 instant like 2026-11-22T10:15:30Z but was "
                            + Identifiers.quote(value));
        }
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of a header as strict UTF-8, or null when absent. */
    static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        byte[] value = header.value();
        if (value.length > MAX_HEADER_BYTES) {
            throw new ContractViolation("INVALID_HEADER",
                    "header " + name + " is " + value.length + " bytes, more than " + MAX_HEADER_BYTES);
        }
        if (ascii(value)) {
            // What the strict decoder gives for ASCII, without making one per header of every image.
            return new String(value, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ContractViolation("INVALID_HEADER", "header " + name + " is not valid UTF-8");
        }
    }

    private static boolean ascii(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
