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
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real broker and a model store holding one (untrained) base model, as after a first pretrain. */
public class TrainerTestResource implements QuarkusTestResourceLifecycleManager {

    private final KafkaBrokerResource kafka = new KafkaBrokerResource();
    private static Path store;

    public static Path store() {
        return store;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(kafka.start());
        try {
            store = Files.createTempDirectory("argus-trainer-models-");
            BundleManifest manifest = BundleManifest.builder("argus", 1, FashionMnist.LABELS, FashionCnn.INPUT)
                    .provenance(Provenance.builder().base("scratch").strategy("pretrain").architecture("fashion-cnn")
                            .build()).build();
            new ModelStore(store).save(ExportedBundles.of(manifest, FashionCnn.build(10, 1, 1e-3)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("argus.trainer.store-dir", store.toString());
        config.put("argus.trainer.public-url", "http://127.0.0.1:8999");
        return config;
    }

    @Override
    public void stop() {
        kafka.stop();
    }
}
