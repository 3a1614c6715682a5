package io.argus.common.engine;

import java.util.List;

import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelId;

/**
 * What a classifier on either engine knows of its model besides the network: which version it is,
 * the input it expects and its labels (all from the bundle's manifest); and the shape both engines
 * take a batch in.
 */
abstract sealed class EngineClassifier implements ImageClassifier permits Dl4jClassifier, OnnxClassifier {

    private final ModelId id;
    private final InputSpec spec;
    private final List<String> labels;

    EngineClassifier(ModelId id, InputSpec spec, List<String> labels) {
        this.id = id;
        this.spec = spec;
        this.labels = List.copyOf(labels);
    }

    @Override
    public final ModelId id() {
        return id;
    }

    @Override
    public final InputSpec inputSpec() {
        return spec;
    }

    @Override
    public final List<String> labels() {
        return labels;
    }

    /** A batch of {@code count} images as both engines take it: [count, channels, height, width]. */
    final long[] batchShape(int count) {
        return new long[] {count, spec.channels(), spec.height(), spec.width()};
    }
}
