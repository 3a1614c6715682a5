package io.argus.common.model;

import org.deeplearning4j.nn.api.Model;

/** A model version: its manifest and its DL4J network. Read and written by {@link ModelBundles}. */
public record ModelBundle(BundleManifest manifest, Model network) {
}
