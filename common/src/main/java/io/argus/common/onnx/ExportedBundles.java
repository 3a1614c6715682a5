package io.argus.common.onnx;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;

/** Bundles as the trainer and the pretrainer write them: with the network's ONNX graph, checked. */
public final class ExportedBundles {

    private ExportedBundles() {
    }

    /**
     * A bundle whose ONNX graph is exported from the network and checked against it on random
     * inputs ({@link OnnxParity}). Throws if the network has a layer the exporter does not know, or
     * if ONNX Runtime would compute something else.
     */
    public static ModelBundle of(BundleManifest manifest, Model network) {
        return new ModelBundle(manifest, network, OnnxParity.exportChecked(network, manifest.inputSpec()));
    }
}
