package io.argus.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.argus.learning.pretrain.PretrainOptions;
import io.argus.learning.pretrain.Pretrainer;

/**
 * The trainer test resource with a base model really pretrained on the bundled Fashion-MNIST
 * subset (2 epochs), whose line replays that dataset; small training settings, no automatic runs
 * (tests start runs when they mean to).
 */
public class TrainingTestResource extends TrainerTestResource {

    /** Pretrained once per test JVM and copied into each store: every test class gets the same base. */
    private static Path pretrained;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("argus.trainer.trigger.every-labels", "0");
        config.put("argus.trainer.trigger.every", "0s");
        config.put("argus.trainer.training.max-epochs", "4");
        config.put("argus.trainer.training.patience", "2");
        config.put("argus.trainer.training.min-steps", "20");
        return config;
    }

    @Override
    protected void baseModel(Path store) throws IOException {
        synchronized (TrainingTestResource.class) {
            if (pretrained == null) {
                Path dir = Files.createTempDirectory("argus-pretrained-");
                new Pretrainer(line -> { }).run(PretrainOptions.parse(new String[] {"--epochs", "2"}, dir, "argus"));
                pretrained = dir.resolve("argus-v1.bundle");
            }
        }
        Files.copy(pretrained, store.resolve("argus-v1.bundle"));
    }
}
