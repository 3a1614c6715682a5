package io.argus.common.engine;

import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelBundles;
import io.argus.common.image.SensorCalibration;
import io.argus.common.engine.OodClassifier;
import io.argus.common.engine.OodScorer;

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
        ImageClassifier classifier = withOod(bundle.manifest(), openNetwork(bundle, onnx));
        Map<String, SensorCalibration> calibrations = bundle.manifest().calibrations();
        return calibrations.isEmpty() ? classifier : new CalibratedClassifier(classifier, calibrations);
    }

    /**
     * The classifier offering the bundle's out-of-distribution scorer, when the bundle has one and
     * the engine gives embeddings; as it is otherwise, and the log says once why there is no score.
     */
    private static ImageClassifier withOod(BundleManifest m, ImageClassifier classifier) {
        if (m.ood() == null) {
            LOG.info("{} has no out-of-distribution statistics (made before bundles carried them): its results carry "
                    + "no OOD score and none goes to review as unlike the training data", m.id());
            return classifier;
        }
        if (!OodScorer.serves(m.ood())) {
            LOG.warn("{} has out-of-distribution statistics of a kind this version does not serve ('{}'): its "
                    + "results carry no OOD score", m.id(), m.ood().score());
            return classifier;
        }
        if (classifier instanceof OnnxClassifier o && !o.hasEmbedding()) {
            LOG.warn("{} has out-of-distribution statistics but its ONNX graph has no '{}' output: results carry no "
                    + "OOD score", m.id(), OnnxClassifier.EMBEDDING);
            return classifier;
        }
        return new OodClassifier(classifier, new OodScorer(m.ood()));
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
