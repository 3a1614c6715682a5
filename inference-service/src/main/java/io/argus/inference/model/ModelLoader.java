package io.argus.inference.model;

import java.io.IOException;
import java.nio.file.Files;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.Dl4jClassifier;
import io.argus.common.model.ImageClassifier;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.nd4j.OneDnn;
import io.argus.inference.InferenceConfig;

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

    public ModelLoader(BundleFetcher fetcher, InferenceConfig config) {
        this.fetcher = fetcher;
        this.warmUpBatch = config.batch().maxSize();
    }

    public ImageClassifier load(ModelEvent event) throws IOException, InterruptedException {
        long start = System.nanoTime();
        BundleFetcher.Fetched fetched = fetcher.fetch(event);
        ModelBundle bundle;
        try {
            bundle = ModelStore.load(fetched.file(), event.sha256());
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
        ImageClassifier classifier = Dl4jClassifier.of(bundle);
        classifier.classify(new float[warmUpBatch * classifier.inputSpec().size()], warmUpBatch);
        LOG.infof("Loaded %s (%d labels, input %dx%dx%d) in %d ms; %s", classifier.id(), classifier.labels().size(),
                m.inputSpec().width(), m.inputSpec().height(), m.inputSpec().channels(),
                (System.nanoTime() - start) / 1_000_000, OneDnn.describe());
        return classifier;
    }
}
