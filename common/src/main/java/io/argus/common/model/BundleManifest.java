package io.argus.common.model;

import java.time.Instant;
import java.util.List;

import io.argus.common.image.InputSpec;

/**
 * Everything about a model version except its weights: the JSON part of a bundle.
 *
 * @param networkType   {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param networkSha256 checksum of the network entry, verified on every read
 * @param onnxSha256    checksum of the ONNX graph entry, verified on every read; {@code null} when
 *                      the bundle has no ONNX graph (written before bundles carried one)
 */
public record BundleManifest(int format, String name, int version, List<String> labels, InputSpec inputSpec,
                             Provenance provenance, ModelMetrics metrics, String networkType, String networkSha256,
                             Instant createdAt, String onnxSha256) {

    // Still 1: the ONNX entry is an addition older readers skip, and bundles without it stay valid.
    public static final int FORMAT = 1;

    /** A manifest without checksums: {@link ModelBundles#write} fills them in. */
    public BundleManifest(int format, String name, int version, List<String> labels, InputSpec inputSpec,
                          Provenance provenance, ModelMetrics metrics, String networkType, String networkSha256,
                          Instant createdAt) {
        this(format, name, version, labels, inputSpec, provenance, metrics, networkType, networkSha256, createdAt,
                null);
    }

    public ModelId id() {
        return new ModelId(name, version);
    }
}
