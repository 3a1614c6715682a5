package io.argus.ingest.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.metrics.BoundedTagValues;
import io.argus.ingest.IngestConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What ingest counts: {@code argus_ingest_images_total{outcome, reason, sensor}} (outcome
 * accepted, refused or unavailable; reason the refusal code, or what was unavailable:
 * {@code KAFKA_UNAVAILABLE}, {@code DECODER_BUSY}) and
 * {@code argus_ingest_bytes_total{outcome}}. A sensor gets a tag of its own when one of its images
 * is accepted (up to {@code argus.ingest.sensor-tag-limit}); refused and unavailable requests are
 * counted under a sensor already known, or as {@code other}: their sensor id is whatever the client
 * sent, and must not become a time series or take a real camera's place.
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry meters;
    private final BoundedTagValues sensors;

    public IngestMetrics(MeterRegistry meters, IngestConfig config) {
        this.meters = meters;
        this.sensors = new BoundedTagValues(config.sensorTagLimit());
    }

    /** An accepted image; {@code sensor} is its checked sensor id. */
    public void accepted(String sensor, int bytes) {
        count("accepted", "none", sensors.of(sensor), bytes);
    }

    /** A refused request; {@code sensor} is what the client sent, unchecked. */
    public void refused(String reason, String sensor, int bytes) {
        count("refused", reason, sensors.known(sensor), bytes);
    }

    public void unavailable(String sensor, int bytes) {
        unavailable("KAFKA_UNAVAILABLE", sensor, bytes);
    }

    /** A request that found no room (Kafka, the decoders); it was not accepted, so its sensor gets no new tag. */
    public void unavailable(String reason, String sensor, int bytes) {
        count("unavailable", reason, sensors.known(sensor), bytes);
    }

    private void count(String outcome, String reason, String sensorTag, int bytes) {
        Counter.builder("argus.ingest.images").description("Images received, by outcome and refusal reason")
                .tag("outcome", outcome).tag("reason", reason).tag("sensor", sensorTag)
                .register(meters).increment();
        Counter.builder("argus.ingest.bytes").description("Image bytes received, by outcome").baseUnit("bytes")
                .tag("outcome", outcome).register(meters).increment(Math.max(0, bytes));
    }
}
