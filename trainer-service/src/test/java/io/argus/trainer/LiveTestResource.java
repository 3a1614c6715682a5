package io.argus.trainer;

import java.util.HashMap;
import java.util.Map;

/**
 * As {@link TrainingTestResource} (no training run starts by itself), without rate limits: the
 * live-accuracy tests give a hundred labels at once and want to see what the labels alone do.
 */
public class LiveTestResource extends TrainingTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("argus.trainer.labels.max-per-minute", "0");
        config.put("argus.trainer.labels.max-per-minute-per-key", "0");
        return config;
    }
}
