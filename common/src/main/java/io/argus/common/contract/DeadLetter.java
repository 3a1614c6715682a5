package io.argus.common.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A record that could not be processed, for {@code argus.images.dlq}: the original bytes and
 * headers, plus why, where and at which stage it failed. Nothing rejected is silently dropped.
 */
public final class DeadLetter {

    public static final String STAGE = "argus-dlq-stage";
    public static final String ERROR_CODE = "argus-dlq-error-code";
    public static final String MESSAGE = "argus-dlq-message";
    /** {@code topic/partition/offset} of the original record. */
    public static final String SOURCE = "argus-dlq-source";

    private static final int MAX_MESSAGE_CHARS = 1000;

    private DeadLetter() {
    }

    /**
     * The dead-letter record for {@code original}, keyed by {@code key} (the image id when known).
     */
    public static ProducerRecord<String, byte[]> of(String dlqTopic, String key,
                                                    ConsumerRecord<String, byte[]> original,
                                                    String stage, String code, String message) {
        List<Header> headers = new ArrayList<>();
        for (Header h : original.headers()) {
            headers.add(h);
        }
        headers.add(text(STAGE, stage));
        headers.add(text(ERROR_CODE, code));
        String shortMessage = message == null ? code
                : message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
        headers.add(text(MESSAGE, shortMessage));
        headers.add(text(SOURCE, original.topic() + "/" + original.partition() + "/" + original.offset()));
        return new ProducerRecord<>(dlqTopic, null, key, original.value(), headers);
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
