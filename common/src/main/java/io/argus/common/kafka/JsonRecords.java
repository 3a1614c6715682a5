package io.argus.common.kafka;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.error.ContractViolation;
import io.argus.common.json.Json;

/**
 * Reads a record's JSON value for a follower of a topic: a record that does not hold to the
 * contract is logged (where it is) and skipped, so one bad record never stops a follower.
 */
public final class JsonRecords {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecords.class);

    private JsonRecords() {
    }

    /** The value as {@code type}; empty, with a warning naming {@code what} and where, if it cannot be read. */
    public static <T> Optional<T> read(ConsumerRecord<String, byte[]> r, Class<T> type, String what) {
        try {
            return Optional.of(Json.read(r.value(), type));
        } catch (ContractViolation e) {
            LOG.warn("Skipping unreadable {} at {}-{}@{}: {}", what, r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
