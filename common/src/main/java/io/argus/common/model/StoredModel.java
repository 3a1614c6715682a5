package io.argus.common.model;

import java.nio.file.Path;

/** A bundle file in the model store with its checksum and manifest. */
public record StoredModel(BundleManifest manifest, Path file, String sha256, long sizeBytes) {

    public ModelId id() {
        return manifest.id();
    }
}
