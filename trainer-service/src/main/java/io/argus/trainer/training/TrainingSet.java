package io.argus.trainer.training;

import java.util.List;

import io.argus.common.dataset.LabeledImages;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.InputSpec;

/**
 * Images prepared for a network by the shared {@link ImagePreprocessor} (never a copy of it), with
 * their class indices: {@code count} inputs of {@code spec.size()} floats, one after another.
 */
public record TrainingSet(InputSpec spec, List<String> labels, float[] inputs, int[] classes) {

    public int count() {
        return classes.length;
    }

    /** Prepares grey dataset images exactly as inference will prepare the PNGs sensors send. */
    public static TrainingSet of(LabeledImages images, List<String> labels, InputSpec spec) {
        ImagePreprocessor prep = new ImagePreprocessor(spec, ImageLimits.DEFAULT);
        int size = spec.size();
        float[] inputs = new float[images.count() * size];
        for (int i = 0; i < images.count(); i++) {
            prep.prepare(images.image(i), inputs, i * size);
        }
        return new TrainingSet(spec, labels, inputs, images.labels().clone());
    }
}
