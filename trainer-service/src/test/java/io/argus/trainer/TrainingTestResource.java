package io.argus.trainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The trainer test resource (broker and an untrained base model as v1) with small training
 * settings and no automatic runs, so tests start runs when they mean to.
 */
public class TrainingTestResource extends TrainerTestResource {

    @Override
    protected Map<String, String> settings(Path store) {
        return with(super.settings(store), Map.of(
                "argus.trainer.trigger.every-labels", "0",
                "argus.trainer.trigger.every", "0s",
                "argus.trainer.training.max-epochs", "4",
                "argus.trainer.training.patience", "2",
                "argus.trainer.training.min-steps", "20"));
    }
}
