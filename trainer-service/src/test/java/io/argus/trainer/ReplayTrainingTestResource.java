package io.argus.trainer;

import java.util.HashMap;
import java.util.Map;

/** {@link TrainingTestResource} with the base's data replayed: 100 images per class written to argus.labels. */
public class ReplayTrainingTestResource extends TrainingTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("argus.trainer.replay.base-samples", "1000");
        return config;
    }
}
