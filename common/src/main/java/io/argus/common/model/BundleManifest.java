package io.argus.common.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.OodReference;

/**
 * Everything about a model version except its weights: the JSON part of a bundle.
 *
 * @param networkType   {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param networkSha256 checksum of the network entry, verified on every read
 * @param onnxSha256    checksum of the ONNX graph entry, verified on every read; {@code null} when
 *                      the bundle has no ONNX graph (written before bundles carried one)
 * @param sensorCalibrations per sensor id, how its images are calibrated before the network sees
 *                      them (see {@link SensorCalibration}); sensors not named here are not calibrated
 * @param driftReference what the model's answers look like on the data it was judged on, the
 *                      reference of drift per sensor; {@code null} in bundles made before bundles
 *                      carried one, which are served with drift off
 * @param ood           how served images are scored for being unlike the training data; {@code null}
 *                      in bundles made before bundles carried it (they are served without the score)
 */
public record BundleManifest(int format, String name, int version, List<String> labels, InputSpec inputSpec,
                             Provenance provenance, ModelMetrics metrics, String networkType, String networkSha256,
                             Instant createdAt, String onnxSha256, Map<String, SensorCalibration> sensorCalibrations,
                             DriftReference driftReference, OodReference ood) {

    /**
     * 2: bundles may carry sensor calibrations, which a reader that does not apply them would serve
     * wrongly, so format-1 readers must refuse these bundles. Format-1 bundles read as before.
     */
    public static final int FORMAT = 2;

    public static final Set<Integer> READABLE = Set.of(1, 2);

    /** How images of {@code sensorId} are calibrated; identity when the sensor has none. */
    public SensorCalibration calibrationFor(String sensorId) {
        SensorCalibration c = sensorCalibrations == null || sensorId == null ? null : sensorCalibrations.get(sensorId);
        return c == null ? SensorCalibration.IDENTITY : c;
    }

    public Map<String, SensorCalibration> calibrations() {
        return sensorCalibrations == null ? Map.of() : sensorCalibrations;
    }

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
        return new BundleManifest(format, name, version, labels, inputSpec, provenance, metrics, networkType,
                networkSha256, createdAt, onnxSha256, sensorCalibrations, driftReference, ood);
    }

    /** This manifest with out-of-distribution statistics (null: none). */
    public BundleManifest withOod(OodReference reference) {
        return new BundleManifest(format, name, version, labels, inputSpec, provenance, metrics, networkType,
                networkSha256, createdAt, onnxSha256, sensorCalibrations, driftReference, reference);
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
        private Map<String, SensorCalibration> sensorCalibrations = Map.of();
        private DriftReference driftReference;
        private OodReference ood;

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

        /** How each named sensor's images are calibrated before the network sees them. */
        public Builder sensorCalibrations(Map<String, SensorCalibration> calibrations) {
            this.sensorCalibrations = new TreeMap<>(calibrations);
            return this;
        }

        /** What the model's answers look like on the data it was judged on (see {@link DriftReference}). */
        public Builder driftReference(DriftReference reference) {
            this.driftReference = reference;
            return this;
        }

        /** How served images are scored for being unlike the training data (see {@link OodReference}). */
        public Builder ood(OodReference ood) {
            this.ood = ood;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public BundleManifest build() {
            return new BundleManifest(FORMAT, name, version, labels, inputSpec, provenance, metrics, null, null,
                    createdAt, null, sensorCalibrations, driftReference, ood);
        }
    }
}
