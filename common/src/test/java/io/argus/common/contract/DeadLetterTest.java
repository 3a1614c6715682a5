package io.argus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.argus.common.topics.TopicSpec;

class DeadLetterTest {

    /** The size of the record of issue 15: it fits the raw topic, its dead-letter copy does not. */
    private static final int ATTACK_BYTES = 16_777_016;

    @Test
    void anOriginalThatFitsIsCopiedWholeWithItsHeadersAndTheReason() {
        ConsumerRecord<String, byte[]> original = raw(random(3000), header(ImageHeaders.IMAGE_ID, "img-1"));

        ProducerRecord<String, byte[]> letter = DeadLetter.of("dlq", "img-1", original, "inference-decode",
                "CORRUPT_IMAGE", "broken");

        assertThat(letter.value()).isEqualTo(original.value());
        assertThat(text(letter, ImageHeaders.IMAGE_ID)).isEqualTo("img-1");
        assertThat(text(letter, DeadLetter.ERROR_CODE)).isEqualTo("CORRUPT_IMAGE");
        assertThat(text(letter, DeadLetter.SOURCE)).isEqualTo("raw/2/77");
        assertThat(letter.headers().lastHeader(DeadLetter.TRUNCATED)).isNull();
        assertThat(letter.headers().lastHeader(DeadLetter.ORIGINAL_SHA256)).isNull();
    }

    @Test
    void aValueTooLargeForTheDeadLetterTopicIsCutToAPrefixAndTheLetterCarriesTheOriginalsSizeAndSha256()
            throws Exception {
        byte[] value = random(ATTACK_BYTES);
        ConsumerRecord<String, byte[]> original = raw(value, header(ImageHeaders.SENSOR_ID, "cam-1"));

        ProducerRecord<String, byte[]> letter = DeadLetter.of("dlq", "raw-2-77", original, "inference-decode",
                "TOO_LARGE", "x".repeat(5000));

        assertThat(text(letter, DeadLetter.TRUNCATED)).isEqualTo("value");
        assertThat(text(letter, DeadLetter.ORIGINAL_BYTES)).isEqualTo(Integer.toString(ATTACK_BYTES));
        assertThat(text(letter, DeadLetter.ORIGINAL_SHA256)).isEqualTo(sha256(value));
        assertThat(text(letter, DeadLetter.SOURCE)).isEqualTo("raw/2/77");
        assertThat(text(letter, DeadLetter.ERROR_CODE)).isEqualTo("TOO_LARGE");
        assertThat(text(letter, ImageHeaders.SENSOR_ID)).as("the original headers fit").isEqualTo("cam-1");
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(letter.value().length).as("all that fits is kept")
                .isGreaterThan(DeadLetter.MAX_RECORD_BYTES - 8 * 1024);
        assertFitsTheTopic(letter);
    }

    @Test
    void headersTooManyForTheDeadLetterTopicAreLeftOutAndTheReasonIsKept() throws Exception {
        byte[] value = random(1000);
        // Together under the raw topic's limit, over the dead letter's once its own headers are added.
        Header[] headers = new Header[5];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = new RecordHeader("junk-" + i, random(3_345_000));
        }
        ConsumerRecord<String, byte[]> original = raw(value, headers);

        ProducerRecord<String, byte[]> letter = DeadLetter.of("dlq", "raw-2-77", original, "inference-contract",
                "INVALID_HEADER", "header too long");

        assertThat(text(letter, DeadLetter.TRUNCATED)).isEqualTo("headers");
        assertThat(letter.value()).as("the value fits once the headers are out").isEqualTo(value);
        assertThat(letter.headers().lastHeader("junk-0")).isNull();
        assertThat(text(letter, DeadLetter.ERROR_CODE)).isEqualTo("INVALID_HEADER");
        assertThat(text(letter, DeadLetter.ORIGINAL_SHA256)).isEqualTo(sha256(value));
        assertFitsTheTopic(letter);
    }

    /**
     * What the producer checks against {@code max.request.size} (Kafka's own upper bound) and what
     * the broker checks against the topic's {@code max.message.bytes} (the batch as inference's
     * producer writes it, lz4-compressed), both against {@link TopicSpec#MAX_MESSAGE_BYTES}.
     */
    private static void assertFitsTheTopic(ProducerRecord<String, byte[]> letter) {
        byte[] key = letter.key().getBytes(StandardCharsets.UTF_8);
        Header[] headers = letter.headers().toArray();
        assertThat(AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.LZ4, key, letter.value(), headers)).isLessThanOrEqualTo(DeadLetter.MAX_RECORD_BYTES);
        for (Compression codec : new Compression[] {Compression.NONE, Compression.lz4().build()}) {
            MemoryRecordsBuilder batch = MemoryRecords.builder(ByteBuffer.allocate(TopicSpec.MAX_MESSAGE_BYTES * 2),
                    codec, TimestampType.CREATE_TIME, 0L);
            batch.append(System.currentTimeMillis(), key, letter.value(), headers);
            assertThat(batch.build().sizeInBytes()).as(codec.type().name).isLessThanOrEqualTo(TopicSpec.MAX_MESSAGE_BYTES);
        }
    }

    private static ConsumerRecord<String, byte[]> raw(byte[] value, Header... headers) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("raw", 2, 77, "cam-1", value);
        for (Header h : headers) {
            r.headers().add(h);
        }
        return r;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ProducerRecord<String, byte[]> r, String header) {
        Header h = r.headers().lastHeader(header);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    }
}
