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
 * {@code argus_ingest_bytes_total{outcome}}.
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry meters;
    private final BoundedTagValues sensors;

    public IngestMetrics(MeterRegistry meters, IngestConfig config) {
        this.meters = meters;
        this.sensors = new BoundedTagValues(config.sensorTagLimit());
    }

    public void accepted(String sensor, int bytes) {
        count("accepted", "none", sensor, bytes);
    }

    public void refused(String reason, String sensor, int bytes) {
        count("refused", reason, sensor, bytes);
    }

    public void unavailable(String sensor, int bytes) {
        unavailable("KAFKA_UNAVAILABLE", sensor, bytes);
    }

    public void unavailable(String reason, String sensor, int bytes) {
        count("unavailable", reason, sensor, bytes);
    }

    private void count(String outcome, String reason, String sensor, int bytes) {
        Counter.builder("argus.ingest.images").description("Images received, by outcome and refusal reason")
                .tag("outcome", outcome).tag("reason", reason).tag("sensor", sensors.of(sensor))
                .register(meters).increment();
        Counter.builder("argus.ingest.bytes").description("Image bytes received, by outcome").baseUnit("bytes")
                .tag("outcome", outcome).register(meters).increment(Math.max(0, bytes));
    }
}
