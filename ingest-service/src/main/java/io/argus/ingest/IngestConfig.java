package io.argus.ingest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code argus.ingest.*}: how images are taken in. */
@ConfigMapping(prefix = "argus.ingest")
public interface IngestConfig {

    /** Sensor id used when a request names none. */
    @WithDefault("unknown")
    String defaultSensorId();

    /** Most files one batch upload may carry. */
    @WithDefault("100")
    int maxBatchFiles();

    /** How long a request waits for Kafka to acknowledge its records before answering 503. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** The Retry-After a 503 suggests, in seconds. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Distinct sensor ids that get a metrics tag of their own; later ones count as "other". */
    @WithDefault("100")
    int sensorTagLimit();
}
