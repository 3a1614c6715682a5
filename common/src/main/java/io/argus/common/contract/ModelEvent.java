package io.argus.common.contract;

import java.time.Instant;
import java.util.List;

import io.argus.common.image.InputSpec;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.GateReport;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.StoredModel;

/**
 * A model version event on {@code argus.models}, keyed by model name. The last serving event per
 * name (compaction keeps it) says which version inference runs.
 *
 * @param bundleUrl where to download the bundle (the trainer's registry endpoint)
 * @param bundleFile the bundle's file name in the model store, for services that share its directory
 * @param gate       the gate's per-slice judgement, on the decision it made; null on other events
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
        Instant at,
        GateReport gate) {

    public static final int SCHEMA_VERSION = 1;

    /** An event announcing a decision about a stored version; what else to say is set on the builder. */
    public static Builder about(StoredModel stored, ModelStatus status, String reason) {
        return new Builder(stored, status, reason);
    }

    /** Builds a {@link ModelEvent} from the stored bundle it is about. */
    public static final class Builder {
        private final StoredModel stored;
        private final ModelStatus status;
        private final String reason;
        private String bundleUrl;
        private String sha256;
        private Instant at = Instant.now();
        private GateReport gate;

        private Builder(StoredModel stored, ModelStatus status, String reason) {
            this.stored = stored;
            this.status = status;
            this.reason = reason;
            this.sha256 = stored.sha256();
        }

        /** Where inference downloads the bundle; without it, inference reads the shared model directory. */
        public Builder bundleUrl(String bundleUrl) {
            this.bundleUrl = bundleUrl;
            return this;
        }

        /** A checksum other than the stored bundle's (tests of tampering). */
        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        /** The gate's judgement, on the decision the gate made. */
        public Builder gate(GateReport gate) {
            this.gate = gate;
            return this;
        }

        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        public ModelEvent build() {
            BundleManifest m = stored.manifest();
            return new ModelEvent(SCHEMA_VERSION, m.name(), m.version(), status, m.labels(), m.inputSpec(),
                    m.metrics(), sha256, stored.sizeBytes(), bundleUrl, stored.file().getFileName().toString(), reason,
                    at, gate);
        }
    }
}
