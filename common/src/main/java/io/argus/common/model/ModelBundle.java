package io.argus.common.model;

import org.deeplearning4j.nn.api.Model;

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

    public boolean hasOnnx() {
        return onnx != null;
    }
}
