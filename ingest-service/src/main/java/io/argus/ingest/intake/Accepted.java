package io.argus.ingest.intake;

import java.time.Instant;

/** What a 202 says about a stored image: its id and where it is on the raw topic. */
public record Accepted(String imageId, String sensorId, Instant capturedAt, String contentType, int sizeBytes,
                       String file, int partition, long offset) {
}
