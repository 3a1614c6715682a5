package io.argus.common.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.argus.common.topics.TopicSpec;

/**
 * A record that could not be processed, for {@code argus.images.dlq}: the original bytes and
 * headers, plus why, where and at which stage it failed. Nothing rejected is silently dropped.
 *
 * <p>The DLQ takes records no larger than the raw topic does, and a dead letter adds headers to
 * the original: an original close to the limit cannot be copied whole. Such a dead letter carries
 * what fits (a prefix of the value, the original headers if they fit too), the original value's
 * size and SHA-256, and {@link #TRUNCATED} naming what was left out. The source position
 * ({@link #SOURCE}) finds the original on the raw topic while its retention lasts.
 */
public final class DeadLetter {

    public static final String STAGE = "argus-dlq-stage";
    public static final String ERROR_CODE = "argus-dlq-error-code";
    public static final String MESSAGE = "argus-dlq-message";
    /** {@code topic/partition/offset} of the original record. */
    public static final String SOURCE = "argus-dlq-source";
    /** On a dead letter that could not carry the original whole: what was left out ({@code value}, {@code headers}). */
    public static final String TRUNCATED = "argus-dlq-truncated";
    /** On a truncated dead letter: the size of the original value, in bytes. */
    public static final String ORIGINAL_BYTES = "argus-dlq-original-bytes";
    /** On a truncated dead letter: the SHA-256 of the original value, in hex. */
    public static final String ORIGINAL_SHA256 = "argus-dlq-original-sha256";

    /**
     * The largest dead letter written, by the upper bound {@link #recordBytes} computes. That bound
     * is already the worst case of Kafka's record format v2 (the producer refuses a record whose
     * same bound is over its {@code max.request.size}, which Argus sets to
     * {@link TopicSpec#MAX_MESSAGE_BYTES}). What the bound does not see is what the broker checks
     * against the topic's {@code max.message.bytes}: the batch as compressed. Inference's producer
     * compresses with lz4 ({@code KafkaClients.Payload.JSON}), which stores an incompressible
     * 64 KiB block with a 4-byte header, so a 16 MiB random value grows by about 1 KiB. The margin
     * of 64 KiB covers that sixty times over and still leaves every image within the image limit
     * (10 MiB) untouched. Another codec (snappy can grow by a sixth) would need its own bound.
     */
    public static final int MAX_RECORD_BYTES = TopicSpec.MAX_MESSAGE_BYTES - 64 * 1024;

    private static final int MAX_MESSAGE_CHARS = 1000;
    /** Record batch header of format v2 ({@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}). */
    private static final int BATCH_OVERHEAD = 61;
    /** A record's length, attributes, timestamp and offset deltas, as varints at their widest. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5;
    /** A length or count as a varint at its widest. */
    private static final int VARINT = 5;
    private static final String VALUE_AND_HEADERS = "value,headers";

    private DeadLetter() {
    }

    /**
     * The dead-letter record for {@code original}, keyed by {@code key} (the image id when known),
     * never larger than {@link #MAX_RECORD_BYTES}.
     */
    public static ProducerRecord<String, byte[]> of(String dlqTopic, String key,
                                                    ConsumerRecord<String, byte[]> original,
                                                    String stage, String code, String message) {
        List<Header> originalHeaders = new ArrayList<>();
        for (Header h : original.headers()) {
            originalHeaders.add(h);
        }
        String shortMessage = message == null ? code
                : message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
        List<Header> why = List.of(text(STAGE, stage), text(ERROR_CODE, code), text(MESSAGE, shortMessage),
                text(SOURCE, original.topic() + "/" + original.partition() + "/" + original.offset()));
        byte[] value = original.value();
        int length = value == null ? 0 : value.length;

        List<Header> whole = concat(originalHeaders, why);
        if (recordBytes(key, length, whole) <= MAX_RECORD_BYTES) {
            return new ProducerRecord<>(dlqTopic, null, key, value, whole);
        }
        // What is kept is decided with the truncation header at its longest, so it always fits.
        List<Header> identity = List.of(text(ORIGINAL_BYTES, Integer.toString(length)),
                text(ORIGINAL_SHA256, sha256(value)));
        List<Header> withOriginals = concat(concat(originalHeaders, why), identity);
        long room = MAX_RECORD_BYTES - recordBytes(key, 0, concat(withOriginals, List.of(text(TRUNCATED,
                VALUE_AND_HEADERS))));
        boolean keepHeaders = room >= 0;
        if (!keepHeaders) {
            // The original's headers alone are too many: the reason and the identity go first.
            withOriginals = concat(why, identity);
            room = MAX_RECORD_BYTES - recordBytes(key, 0, concat(withOriginals, List.of(text(TRUNCATED,
                    VALUE_AND_HEADERS))));
        }
        int kept = (int) Math.max(0, Math.min(room, length));
        List<String> cut = new ArrayList<>(2);
        if (kept < length) {
            cut.add("value");
        }
        if (!keepHeaders) {
            cut.add("headers");
        }
        String leftOut = String.join(",", cut);
        byte[] prefix = value == null ? null : Arrays.copyOf(value, kept);
        return new ProducerRecord<>(dlqTopic, null, key, prefix,
                concat(withOriginals, List.of(text(TRUNCATED, leftOut))));
    }

    /**
     * An upper bound of the bytes a record takes in a batch of its own: the batch header, the
     * record's fixed fields, and each length and count at its widest varint.
     */
    static long recordBytes(String key, int valueLength, List<Header> headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD;
        size += VARINT + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
        size += VARINT + valueLength;
        size += VARINT;
        for (Header h : headers) {
            size += VARINT + h.key().getBytes(StandardCharsets.UTF_8).length;
            size += VARINT + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static List<Header> concat(List<Header> a, List<Header> b) {
        List<Header> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value == null ? new byte[0] : value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
