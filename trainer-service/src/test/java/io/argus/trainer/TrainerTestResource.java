package io.argus.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelStore;
import io.argus.common.model.Provenance;
import io.argus.local.testing.KafkaBrokerAndStoreResource;
import io.argus.learning.networks.FashionCnn;

/**
 * A real broker and a model store holding one base model, as after a first pretrain: untrained
 * here (the API tests do not need it to be right); {@link TrainingTestResource} trains one.
 */
public class TrainerTestResource extends KafkaBrokerAndStoreResource {

    /** No limit on labels per minute, of a key or of all: for tests that give many labels at once. */
    static final Map<String, String> NO_LABEL_RATE_LIMITS = Map.of(
            "argus.trainer.labels.max-per-minute", "0",
            "argus.trainer.labels.max-per-minute-per-key", "0");

    @Override
    protected void fill(Path store) throws IOException {
        baseModel(store);
    }

    @Override
    protected Map<String, String> settings(Path store) {
        return Map.of(
                "argus.trainer.store-dir", store.toString(),
                "argus.trainer.public-url", "http://127.0.0.1:8999",
                // No base data written to argus.labels unless a test asks: tests read that topic.
                "argus.trainer.replay.base-samples", "0");
    }

    /** Writes the base model v1 into the store. */
    protected void baseModel(Path store) throws IOException {
        untrainedModel(store, 1);
    }

    /** Writes an untrained version of the project's CNN into the store. */
    static void untrainedModel(Path store, int version) throws IOException {
        BundleManifest manifest = BundleManifest.builder("argus", version, FashionMnist.LABELS, FashionCnn.INPUT)
                .provenance(Provenance.builder().base("scratch").strategy("pretrain").architecture("fashion-cnn")
                        .build()).build();
        new ModelStore(store).save(ExportedBundles.of(manifest, FashionCnn.build(10, 1, 1e-3)));
    }
}
