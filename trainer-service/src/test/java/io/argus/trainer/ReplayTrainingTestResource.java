package io.argus.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.argus.learning.pretrain.PretrainOptions;
import io.argus.learning.pretrain.Pretrainer;
import io.argus.local.testing.TempDirs;

/**
 * {@link TrainingTestResource} with a base model really pretrained on the bundled Fashion-MNIST
 * subset, whose line replays that dataset: 100 images per class written to argus.labels. Pretrained
 * as the end-to-end stack pretrains its base (one epoch on the first 3000 training images: 74.6 %
 * on the test split, where two epochs on all 6000 reached 81.8 % in twice the time): the stories
 * need a base that knows the ten classes well enough to forget them, not the best one, and the
 * pretraining took 27 s of {@code ShadowPromotionTest}'s 73 s (docs/development.md#suite-time).
 */
public class ReplayTrainingTestResource extends TrainingTestResource {

    /**
     * Pretrained once per build and kept in target/: each Quarkus test class loads its resources
     * afresh, so a static field would not keep it.
     */
    private static final Path PRETRAINED = Path.of("target", "pretrained-base", "argus-v1.bundle");

    @Override
    protected Map<String, String> settings(Path store) {
        return with(super.settings(store), Map.of("argus.trainer.replay.base-samples", "1000"));
    }

    @Override
    protected void baseModel(Path store) throws IOException {
        synchronized (ReplayTrainingTestResource.class) {
            if (!Files.exists(PRETRAINED)) {
                Path dir = Files.createTempDirectory("argus-pretrained-");
                new Pretrainer(line -> { }).run(PretrainOptions.parse(
                        new String[] {"--epochs", "1", "--limit", "3000"}, dir, "argus"));
                Files.createDirectories(PRETRAINED.getParent());
                Files.copy(dir.resolve("argus-v1.bundle"), PRETRAINED, StandardCopyOption.REPLACE_EXISTING);
                TempDirs.delete(dir);
            }
        }
        Files.copy(PRETRAINED, store.resolve("argus-v1.bundle"));
    }
}
