package io.argus.learning.training;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.argus.common.dataset.LabeledImages;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.ImageRejected;
import io.argus.common.image.InputSpec;

/**
 * Images prepared for a network by the shared {@link ImagePreprocessor} (never a copy of it), with
 * their class indices: {@code count} inputs of {@code spec.size()} floats, one after another.
 */
public record TrainingSet(InputSpec spec, List<String> labels, float[] inputs, int[] classes) {

    public int count() {
        return classes.length;
    }

    /** The samples at {@code indices}, in that order. */
    public TrainingSet subset(List<Integer> indices) {
        int size = spec.size();
        float[] x = new float[indices.size() * size];
        int[] y = new int[indices.size()];
        for (int k = 0; k < indices.size(); k++) {
            System.arraycopy(inputs, indices.get(k) * size, x, k * size, size);
            y[k] = classes[indices.get(k)];
        }
        return new TrainingSet(spec, labels, x, y);
    }

    /**
     * Image files with labels, decoded and prepared by the shared preprocessing. Files that do not
     * decode are left out; {@code kept} says which were used.
     */
    public record Prepared(TrainingSet set, List<Integer> kept) {
    }

    public static Prepared ofFiles(List<byte[]> files, List<String> fileLabels, List<String> labels, InputSpec spec,
                                   ImageLimits limits) {
        ImagePreprocessor prep = new ImagePreprocessor(spec, limits);
        int size = spec.size();
        float[] buffer = new float[files.size() * size];
        int[] y = new int[files.size()];
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int k = kept.size();
            try {
                prep.prepare(files.get(i), buffer, k * size);
            } catch (ImageRejected e) {
                continue;
            }
            int label = labels.indexOf(fileLabels.get(i));
            if (label < 0) {
                throw new IllegalArgumentException("label " + fileLabels.get(i) + " is not among " + labels);
            }
            y[k] = label;
            kept.add(i);
        }
        int n = kept.size();
        return new Prepared(new TrainingSet(spec, labels, Arrays.copyOf(buffer, n * size),
                Arrays.copyOf(y, n)), kept);
    }

    /** Prepares decoded images with their class indices, as inference prepares what sensors send. */
    public static TrainingSet ofImages(List<BufferedImage> images, int[] classes, List<String> labels,
                                       InputSpec spec) {
        ImagePreprocessor prep = new ImagePreprocessor(spec, ImageLimits.DEFAULT);
        int size = spec.size();
        float[] inputs = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            prep.prepare(images.get(i), inputs, i * size);
        }
        return new TrainingSet(spec, labels, inputs, Arrays.copyOf(classes, images.size()));
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
