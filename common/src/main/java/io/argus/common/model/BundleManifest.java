package io.argus.common.model;

import java.time.Instant;
import java.util.List;

import io.argus.common.image.InputSpec;

/**
 * Everything about a model version except its weights: the JSON part of a bundle.
 *
 * @param networkType   {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param networkSha256 checksum of the network entry, verified on every read
 */
public record BundleManifest(int format, String name, int version, List<String> labels, InputSpec inputSpec,
                             Provenance provenance, ModelMetrics metrics, String networkType, String networkSha256,
                             Instant createdAt) {

    public static final int FORMAT = 1;

    public ModelId id() {
        return new ModelId(name, version);
    }
}
