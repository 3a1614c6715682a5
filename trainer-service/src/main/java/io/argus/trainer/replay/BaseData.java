package io.argus.trainer.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.model.Provenance;
import io.argus.trainer.TrainerConfig;

/**
 * The dataset a line of models started from (named by the models' provenance, {@code baseData}):
 * its training split is replayed in every run, its test split is the gate's reference slice. Read
 * once from the configured directory, Debian's package, or the subset bundled with Argus.
 */
@ApplicationScoped
public class BaseData {

    /** A dataset's two splits and its class names. */
    public record Dataset(String id, String source, LabeledImages train, LabeledImages test, List<String> labels) {
    }

    private static final Logger LOG = Logger.getLogger(BaseData.class);

    private final TrainerConfig.Replay config;
    private volatile Dataset fashionMnist;

    public BaseData(TrainerConfig config) {
        this.config = config.replay();
    }

    /** The dataset a model's provenance names, when this trainer knows it. */
    public Optional<Dataset> of(Provenance provenance) {
        if (provenance == null || provenance.baseData() == null) {
            return Optional.empty();
        }
        if (!provenance.baseData().equals(FashionMnist.ID)) {
            LOG.warnf("Unknown base dataset %s: runs go without replay and reference slice", provenance.baseData());
            return Optional.empty();
        }
        return Optional.of(fashionMnist());
    }

    private Dataset fashionMnist() {
        Dataset d = fashionMnist;
        if (d == null) {
            synchronized (this) {
                if (fashionMnist == null) {
                    try {
                        FashionMnist.Data data = FashionMnist.load(config.dataDir());
                        fashionMnist = new Dataset(FashionMnist.ID, data.source(), data.train(), data.test(),
                                FashionMnist.LABELS);
                        LOG.infof("Base data: Fashion-MNIST (%s), %d training and %d test images", data.source(),
                                data.train().count(), data.test().count());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the Fashion-MNIST base data", e);
                    }
                }
                d = fashionMnist;
            }
        }
        return d;
    }
}
