package io.argus.ingest.intake;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a 202 says about a stored image: its id and where it is on the raw topic.
 *
 * @param file the part's file name, for batch uploads only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(String imageId, String sensorId, Instant capturedAt, String contentType, int sizeBytes,
                       String file, int partition, long offset) {
}
