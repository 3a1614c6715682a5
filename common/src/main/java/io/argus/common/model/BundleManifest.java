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

    /**
     * A manifest of the model {@code name} v{@code version}: its classes and input; provenance and
     * metrics are set on the builder, the checksums by {@link ModelBundles#write}.
     */
    public static Builder builder(String name, int version, List<String> labels, InputSpec inputSpec) {
        return new Builder(name, version, labels, inputSpec);
    }

    public ModelId id() {
        return new ModelId(name, version);
    }

    /** This manifest with the network's type and the checksums of the bundle's entries. */
    BundleManifest withChecksums(String networkType, String networkSha256, String onnxSha256) {
        return new BundleManifest(FORMAT, name, version, labels, inputSpec, provenance, metrics, networkType,
                networkSha256, createdAt, onnxSha256);
    }

    /** Builds a manifest without checksums. */
    public static final class Builder {
        private final String name;
        private final int version;
        private final List<String> labels;
        private final InputSpec inputSpec;
        private Provenance provenance;
        private ModelMetrics metrics;
        private Instant createdAt = Instant.now();

        private Builder(String name, int version, List<String> labels, InputSpec inputSpec) {
            this.name = name;
            this.version = version;
            this.labels = List.copyOf(labels);
            this.inputSpec = inputSpec;
        }

        public Builder provenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** How the model did on held-out samples. */
        public Builder metrics(ModelMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public BundleManifest build() {
            return new BundleManifest(FORMAT, name, version, labels, inputSpec, provenance, metrics, null, null,
                    createdAt, null);
        }
    }
}
