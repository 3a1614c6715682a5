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

    /**
     * This replica's identity, stable across its restarts and unique among replicas (a pod's name,
     * the host name): batches are written in Kafka transactions under the id
     * {@code argus-ingest-batches-<replica-id>}, so a restarted replica aborts at once a batch its
     * predecessor left open. Two running replicas with the same id would fence each other's batches.
     */
    @WithDefault("${HOSTNAME:local}")
    String replicaId();

    /** Test-only fault switches ({@code argus.ingest.fault.*}); see docs/faults.md. Never set in production. */
    Fault fault();

    interface Fault {
        /**
         * Once the first image of a batch upload is sent (and flushed to the broker), the rest waits
         * this long: time for a test to stop the broker in the middle of a batch. 0: never.
         */
        @WithDefault("0s")
        Duration batchPauseAfterFirst();
    }
}
