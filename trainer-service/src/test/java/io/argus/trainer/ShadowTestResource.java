package io.argus.trainer;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ReplayTrainingTestResource} (a pretrained base, runs started by the tests) with shadow on:
 * a window of 60 images, the agreement rule applied from 20 confident images of a sensor, and no
 * rate limits on labels.
 */
public class ShadowTestResource extends ReplayTrainingTestResource {

    static final int WINDOW = 60;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("argus.trainer.shadow.images", Integer.toString(WINDOW));
        config.put("argus.trainer.shadow.min-images", "20");
        config.put("argus.trainer.labels.max-per-minute", "0");
        config.put("argus.trainer.labels.max-per-minute-per-key", "0");
        return config;
    }
}
