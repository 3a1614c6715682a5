package io.argus.common.contract;

import java.time.Instant;
import java.util.List;

import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelMetrics;

/**
 * A model version event on {@code argus.models}, keyed by model name. The last serving event per
 * name (compaction keeps it) says which version inference runs.
 *
 * @param bundleUrl where to download the bundle (the trainer's registry endpoint)
 * @param bundleFile the bundle's file name in the model store, for services that share its directory
 */
public record ModelEvent(
        int schemaVersion,
        String modelName,
        int version,
        ModelStatus status,
        List<String> labels,
        InputSpec inputSpec,
        ModelMetrics metrics,
        String sha256,
        long sizeBytes,
        String bundleUrl,
        String bundleFile,
        String reason,
        Instant at) {

    public static final int SCHEMA_VERSION = 1;
}
