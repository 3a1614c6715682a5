package io.argus.common.image;

import java.util.List;

/**
 * What a model takes: size, channels and normalisation. Stored in every model bundle, so training
 * and serving prepare pixels the same way by construction.
 *
 * <p>A pixel value {@code v} in 0..255 of channel {@code c} becomes {@code (v / 255 - mean[c]) / std[c]}.
 *
 * @param channels 1 (grey, BT.601 luma) or 3 (RGB)
 */
public record InputSpec(int height, int width, int channels, List<Double> mean, List<Double> std) {

    public InputSpec {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (mean.size() != channels || std.size() != channels) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + channels + ")");
        }
        if (std.stream().anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("std must be positive: " + std);
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** Grey input scaled to 0..1. */
    public static InputSpec grey(int height, int width) {
        return new InputSpec(height, width, 1, List.of(0.0), List.of(1.0));
    }

    /** RGB input with the ImageNet mean and standard deviation, as ImageNet-pretrained CNNs expect. */
    public static InputSpec imageNet(int height, int width) {
        return new InputSpec(height, width, 3, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
    }

    /** Floats per image: channels x height x width. */
    public int size() {
        return channels * height * width;
    }
}
