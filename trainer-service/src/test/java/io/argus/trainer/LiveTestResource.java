package io.argus.trainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * As {@link TrainingTestResource} (no training run starts by itself), without rate limits: the
 * live-accuracy tests give a hundred labels at once and want to see what the labels alone do.
 */
public class LiveTestResource extends TrainingTestResource {

    @Override
    protected Map<String, String> settings(Path store) {
        return with(super.settings(store), NO_LABEL_RATE_LIMITS);
    }
}
