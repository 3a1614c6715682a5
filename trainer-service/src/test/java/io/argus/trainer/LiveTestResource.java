package io.argus.trainer;

import java.util.HashMap;
import java.util.Map;

/**
 * As {@link TrainerTestResource}, with no training run starting by itself: the live-accuracy
 * tests give hundreds of labels and want to see what the labels alone do.
 */
public class LiveTestResource extends TrainerTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("argus.trainer.trigger.every-labels", "0");
        config.put("argus.trainer.trigger.every", "0s");
        config.put("argus.trainer.labels.max-per-minute", "0");
        config.put("argus.trainer.labels.max-per-minute-per-key", "0");
        return config;
    }
}
