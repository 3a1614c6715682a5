package io.argus.trainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ReplayTrainingTestResource} (a pretrained base, runs started by the tests) with shadow on:
 * a window of 60 images, the agreement rule applied from 20 confident images of a sensor, and no
 * rate limits on labels.
 */
public class ShadowTestResource extends ReplayTrainingTestResource {

    static final int WINDOW = 60;

    @Override
    protected Map<String, String> settings(Path store) {
        return with(super.settings(store), NO_LABEL_RATE_LIMITS, Map.of(
                "argus.trainer.shadow.images", Integer.toString(WINDOW),
                "argus.trainer.shadow.min-images", "20"));
    }
}
