package io.argus.inference.model;

import java.io.IOException;
import java.nio.file.Files;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.model.BundleManifest;
import io.argus.common.engine.Engine;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.engine.OnnxSettings;
import io.argus.inference.InferenceConfig;
import io.argus.inference.drift.DriftMonitor;

/**
 * Turns a model event into a ready classifier: fetch the bundle, verify its checksum against the
 * event, load it, check it is what the event says, and run one full-size batch through it so
 * the first real batch does not pay for native set-up. All of this happens off the hot path.
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    private final BundleFetcher fetcher;
    private final int warmUpBatch;
    private final Engine engine;
    private final OnnxSettings onnx;
    private final DriftMonitor drift;

    public ModelLoader(BundleFetcher fetcher, InferenceConfig config, DriftMonitor drift) {
        this.fetcher = fetcher;
        this.drift = drift;
        this.warmUpBatch = config.batch().maxSize();
        this.engine = config.engine();
        this.onnx = config.onnx().settings();
    }

    /** Loads the version to serve, and points drift per sensor at its reference. */
    public ImageClassifier load(ModelEvent event) throws IOException, InterruptedException {
        Opened opened = open(event);
        drift.loaded(opened.classifier().id(), opened.classifier().labels(), opened.manifest().driftReference());
        return opened.classifier();
    }

    /**
     * Loads a candidate to run in shadow beside the served model: the same fetch, checksum, identity
     * check and warm-up, but drift keeps watching the served model.
     */
    public ImageClassifier loadCandidate(ModelEvent event) throws IOException, InterruptedException {
        return open(event).classifier();
    }

    private record Opened(ImageClassifier classifier, BundleManifest manifest) {
    }

    private Opened open(ModelEvent event) throws IOException, InterruptedException {
        long start = System.nanoTime();
        BundleFetcher.Fetched fetched = fetcher.fetch(event);
        ModelBundle bundle;
        try {
            bundle = ModelStore.load(fetched.file(), event.sha256(), engine.parts());
        } finally {
            if (fetched.temporary()) {
                Files.deleteIfExists(fetched.file());
            }
        }
        BundleManifest m = bundle.manifest();
        if (!m.name().equals(event.modelName()) || m.version() != event.version()) {
            throw new IOException("the bundle holds " + m.id() + " but the event announced " + event.modelName()
                    + " v" + event.version());
        }
        ImageClassifier classifier = engine.open(bundle, onnx);
        classifier.classify(new float[warmUpBatch * classifier.inputSpec().size()], warmUpBatch);
        LOG.infof("Loaded %s (%d labels, input %dx%dx%d) on %s in %d ms", classifier.id(), classifier.labels().size(),
                m.inputSpec().width(), m.inputSpec().height(), m.inputSpec().channels(), classifier.engine(),
                (System.nanoTime() - start) / 1_000_000);
        return new Opened(classifier, m);
    }
}
