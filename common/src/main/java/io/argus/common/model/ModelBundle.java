package io.argus.common.model;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.onnx.OnnxParity;

/**
 * A model version: its manifest, its DL4J network and the same network as an ONNX graph. Read and
 * written by {@link ModelBundles}.
 *
 * @param network the DL4J network; {@code null} only when the bundle was read for ONNX serving
 *                ({@link ModelBundles.Parts#SERVING}), which skips restoring it
 * @param onnx    the ONNX graph (serialized {@code ModelProto}); {@code null} in bundles written
 *                before bundles carried one, which are then served by DL4J
 */
public record ModelBundle(BundleManifest manifest, Model network, byte[] onnx) {

    /** A bundle without an ONNX graph. */
    public ModelBundle(BundleManifest manifest, Model network) {
        this(manifest, network, null);
    }

    /**
     * A bundle whose ONNX graph is exported from the network and checked against it on random
     * inputs ({@link OnnxParity}): what the trainer writes. Throws if the network has a layer
     * the exporter does not know, or if ONNX Runtime would compute something else.
     */
    public static ModelBundle exported(BundleManifest manifest, Model network) {
        return new ModelBundle(manifest, network, OnnxParity.exportChecked(network, manifest.inputSpec()));
    }

    public boolean hasOnnx() {
        return onnx != null;
    }
}
