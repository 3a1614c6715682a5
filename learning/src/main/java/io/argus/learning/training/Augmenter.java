package io.argus.learning.training;

import java.util.Random;

import io.argus.common.image.InputSpec;

/**
 * Data augmentation on prepared inputs (channels-first, already normalised by the shared
 * preprocessing): a random shift of up to {@code maxShift} pixels (a random crop of the image
 * padded with its border), a horizontal flip half of the time, and brightness and contrast
 * jitter. Only training batches are augmented.
 */
public final class Augmenter {

    private final InputSpec spec;
    private final int maxShift;
    private final float brightness;
    private final float contrast;

    /**
     * @param brightness largest brightness change, as a fraction of the full 0..255 range
     * @param contrast   largest contrast change, as a factor around 1
     */
    public Augmenter(InputSpec spec, int maxShift, float brightness, float contrast) {
        this.spec = spec;
        this.maxShift = maxShift;
        this.brightness = brightness;
        this.contrast = contrast;
    }

    public static Augmenter standard(InputSpec spec) {
        return new Augmenter(spec, Math.max(1, spec.width() / 14), 0.1f, 0.2f);
    }

    /** Augments one image in place at {@code x[offset ..]}. */
    public void apply(float[] x, int offset, Random random) {
        int w = spec.width();
        int h = spec.height();
        int plane = w * h;
        int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        boolean flip = random.nextBoolean();
        float delta = (random.nextFloat() * 2 - 1) * brightness;
        float factor = 1 + (random.nextFloat() * 2 - 1) * contrast;
        float[] copy = new float[plane];
        for (int c = 0; c < spec.channels(); c++) {
            int base = offset + c * plane;
            System.arraycopy(x, base, copy, 0, plane);
            double std = spec.std().get(c);
            // In normalised units a brightness step of delta (of 0..1) is delta / std.
            float shift = (float) (delta / std);
            float mean = 0;
            for (int i = 0; i < plane; i++) {
                mean += copy[i];
            }
            mean /= plane;
            for (int y = 0; y < h; y++) {
                int sy = Math.min(h - 1, Math.max(0, y + dy));
                for (int xx = 0; xx < w; xx++) {
                    int sx = Math.min(w - 1, Math.max(0, xx + dx));
                    if (flip) {
                        sx = w - 1 - sx;
                    }
                    float v = copy[sy * w + sx];
                    x[base + y * w + xx] = (v - mean) * factor + mean + shift;
                }
            }
        }
    }
}
