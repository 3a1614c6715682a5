package io.argus.trainer;

import java.util.HashMap;
import java.util.Map;

/**
 * The trainer test resource (broker and an untrained base model as v1) with small training
 * settings and no automatic runs, so tests start runs when they mean to.
 */
public class TrainingTestResource extends TrainerTestResource {

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
}
