package io.argus.ingest.publishing;

/** Kafka did not acknowledge in time: the image is not stored and the client should retry. */
public class KafkaUnavailable extends RuntimeException {

    public KafkaUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
