package io.argus.common.engine;

import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelBundles;
import io.argus.common.image.SensorCalibration;

/**
 * The engines a model bundle can be served on. Which is faster depends on the model (see the
 * benchmark, {@code ./argus bench}); both compute the same outputs, which the trainer checks
 * before it writes a bundle.
 */
public enum Engine {

    /** ONNX Runtime on the bundle's ONNX graph: CPU, or CUDA in the GPU build. */
    ONNX,
    /** DL4J on the bundle's network, convolutions on oneDNN. */
    DL4J;

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** What {@link ModelBundles#read(java.io.InputStream, ModelBundles.Parts)} must restore for this engine. */
    public ModelBundles.Parts parts() {
        return this == ONNX ? ModelBundles.Parts.SERVING : ModelBundles.Parts.ALL;
    }

    /**
     * A classifier for the bundle on this engine. A bundle without an ONNX graph (written before
     * bundles carried one) is served by DL4J whatever the engine, and the log says so.
     */
    public ImageClassifier open(ModelBundle bundle, OnnxSettings onnx) {
        ImageClassifier classifier = openNetwork(bundle, onnx);
        Map<String, SensorCalibration> calibrations = bundle.manifest().calibrations();
        return calibrations.isEmpty() ? classifier : new CalibratedClassifier(classifier, calibrations);
    }

    private ImageClassifier openNetwork(ModelBundle bundle, OnnxSettings onnx) {
        BundleManifest m = bundle.manifest();
        if (this == ONNX && bundle.hasOnnx()) {
            return new OnnxClassifier(m.id(), m.inputSpec(), m.labels(), bundle.onnx(), onnx);
        }
        if (this == ONNX) {
            LOG.warn("{} has no ONNX graph (written before bundles carried one); DL4J serves it", m.id());
        }
        if (bundle.network() == null) {
            throw new IllegalStateException("bundle " + m.id() + " was read without its DL4J network");
        }
        return Dl4jClassifier.of(bundle);
    }

    /** {@code onnx} or {@code dl4j}, as in configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
