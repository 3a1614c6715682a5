package io.argus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.argus.common.error.ContractViolation;

class RawImageTest {

    private static final byte[] BYTES = {1, 2, 3};
    private static final Instant CAPTURED = Instant.parse("2026-11-22T10:15:30Z");

    @Test
    void writesKeyAsSensorIdValueAsBytesAndEveryContractHeader() {
        RawImage image = new RawImage("img-1", "cam-7", CAPTURED, "image/png", "{\"site\":\"north\"}", BYTES);

        ProducerRecord<String, byte[]> record = image.toRecord("raw");

        assertThat(record.key()).isEqualTo("cam-7");
        assertThat(record.value()).isSameAs(BYTES);
        assertThat(header(record, ImageHeaders.IMAGE_ID)).isEqualTo("img-1");
        assertThat(header(record, ImageHeaders.SENSOR_ID)).isEqualTo("cam-7");
        assertThat(header(record, ImageHeaders.CAPTURED_AT)).isEqualTo("2026-11-22T10:15:30Z");
        assertThat(header(record, ImageHeaders.CONTENT_TYPE)).isEqualTo("image/png");
        assertThat(header(record, ImageHeaders.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(header(record, ImageHeaders.META)).isEqualTo("{\"site\":\"north\"}");
    }

    @Test
    void readsBackWhatItWrote() {
        RawImage image = new RawImage("img-1", "cam-7", CAPTURED, "image/png", null, BYTES);
        ProducerRecord<String, byte[]> sent = image.toRecord("raw");

        RawImage read = RawImage.fromRecord(received(sent.key(), sent.headers(), 5));

        assertThat(read.imageId()).isEqualTo("img-1");
        assertThat(read.sensorId()).isEqualTo("cam-7");
        assertThat(read.capturedAt()).isEqualTo(CAPTURED);
        assertThat(read.contentType()).isEqualTo("image/png");
        assertThat(read.bytes()).isSameAs(BYTES);
    }

    @Test
    void aRecordWithoutHeadersGetsIdsFromItsPositionKeyAndTimestamp() {
        RawImage read = RawImage.fromRecord(received("cam-9", new RecordHeaders(), 42));

        assertThat(read.imageId()).isEqualTo("raw-3-42");
        assertThat(read.sensorId()).isEqualTo("cam-9");
        assertThat(read.capturedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read.contentType()).isNull();
    }

    @Test
    void aRecordWithNeitherHeadersNorKeyComesFromAnUnknownSensor() {
        assertThat(RawImage.fromRecord(received(null, new RecordHeaders(), 1)).sensorId()).isEqualTo("unknown");
    }

    @Test
    void garbledHeadersAreContractViolationsNotGuesses() {
        RecordHeaders badTime = new RecordHeaders();
        badTime.add(ImageHeaders.CAPTURED_AT, "yesterday".getBytes(StandardCharsets.UTF_8));
        assertViolation(badTime, "INVALID_HEADER", "ISO-8601");

        RecordHeaders notUtf8 = new RecordHeaders();
        notUtf8.add(ImageHeaders.IMAGE_ID, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertViolation(notUtf8, "INVALID_HEADER", "UTF-8");

        RecordHeaders tooLong = new RecordHeaders();
        tooLong.add(ImageHeaders.META, new byte[RawImage.MAX_HEADER_BYTES + 1]);
        assertViolation(tooLong, "INVALID_HEADER", "more than");

        RecordHeaders badId = new RecordHeaders();
        badId.add(ImageHeaders.IMAGE_ID, "has spaces".getBytes(StandardCharsets.UTF_8));
        assertViolation(badId, "INVALID_HEADER", "argus-image-id");

        RecordHeaders future = new RecordHeaders();
        future.add(ImageHeaders.SCHEMA_VERSION, "2".getBytes(StandardCharsets.UTF_8));
        assertViolation(future, "UNSUPPORTED_SCHEMA", "schema version");
    }

    private static void assertViolation(RecordHeaders headers, String code, String text) {
        assertThatThrownBy(() -> RawImage.fromRecord(received("k", headers, 1)))
                .isInstanceOf(ContractViolation.class)
                .hasMessageContaining(text)
                .extracting(e -> ((ContractViolation) e).code()).isEqualTo(code);
    }

    private static ConsumerRecord<String, byte[]> received(String key, Iterable<org.apache.kafka.common.header.Header> headers,
                                                           long offset) {
        RecordHeaders copy = new RecordHeaders();
        headers.forEach(copy::add);
        return new ConsumerRecord<>("raw", 3, offset, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1, key, BYTES,
                copy, Optional.empty());
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
