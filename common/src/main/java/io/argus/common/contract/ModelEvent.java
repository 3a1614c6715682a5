package io.argus.common.contract;

import java.time.Instant;
import java.util.List;

import io.argus.common.image.InputSpec;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.GateReport;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.StoredModel;

/**
 * A model version event on {@code argus.models}. Each event is written under the key of its
 * version ({@link #versionKey}: compaction keeps the latest word on every version), and an event
 * that makes a version serve is written a second time, in the same transaction, under the model
 * name ({@link #championKey}: compaction keeps the one record that says which version serves, however
 * many events about other versions come after it). Inference follows the champion key alone.
 *
 * @param bundleUrl        where to download the bundle (the trainer's registry endpoint)
 * @param bundleFile       the bundle's file name in the model store, for services that share its directory
 * @param gate             the gate's per-slice judgement, on the decision it made; null on other events
 * @param previousChampion on an event that makes a version serve, the version that served before it
 *                         (what an automatic rollback goes back to); on a SHADOW event, the champion the
 *                         candidate runs beside (what its shadow is judged against); null when there was none
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
        GateReport gate,
        Integer previousChampion) {

    public static final int SCHEMA_VERSION = 1;

    /** What separates a model name from a version in a version key: Argus ids (model names too) cannot hold {@code #}. */
    private static final String VERSION_SEPARATOR = "#v";

    /** The key of the record that says which version of {@code modelName} serves: the model name. */
    public static String championKey(String modelName) {
        return modelName;
    }

    /** The key of a version's events: {@code <model name>#v<version>}. */
    public static String versionKey(String modelName, int version) {
        return modelName + VERSION_SEPARATOR + version;
    }

    /** Whether {@code key} is a version key of {@code modelName}. */
    public static boolean isVersionKey(String key, String modelName) {
        return key != null && key.startsWith(modelName + VERSION_SEPARATOR);
    }

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
        private Integer previousChampion;

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

        /** The version that served before this one, on an event that makes it serve. */
        public Builder previousChampion(Integer version) {
            this.previousChampion = version;
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
                    at, gate, previousChampion);
        }
    }
}
