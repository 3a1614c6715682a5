package io.argus.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelStore;
import io.argus.common.model.Provenance;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.learning.networks.FashionCnn;

/**
 * A real broker and a model store holding one base model, as after a first pretrain: untrained
 * here (the API tests do not need it to be right); {@link TrainingTestResource} trains one.
 */
public class TrainerTestResource extends KafkaBrokerResource {

    private static Path store;

    public static Path store() {
        return store;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            store = Files.createTempDirectory("argus-trainer-models-");
            baseModel(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("argus.trainer.store-dir", store.toString());
        config.put("argus.trainer.public-url", "http://127.0.0.1:8999");
        // No base data written to argus.labels unless a test asks: tests read that topic.
        config.put("argus.trainer.replay.base-samples", "0");
        return config;
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
