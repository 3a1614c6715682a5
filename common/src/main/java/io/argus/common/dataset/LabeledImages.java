package io.argus.common.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * Small grey images with integer labels, as in the MNIST family: {@code count} images of
 * {@code rows x cols} bytes, stored one after another.
 */
public record LabeledImages(int rows, int cols, byte[] pixels, int[] labels) {

    public LabeledImages {
        if (pixels.length != labels.length * rows * cols) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length + " pixel bytes");
        }
    }

    public int count() {
        return labels.length;
    }

    /** Image {@code i} as an 8-bit grey picture, exactly as a camera would hand it to a decoder. */
    public BufferedImage image(int i) {
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        byte[] one = Arrays.copyOfRange(pixels, i * rows * cols, (i + 1) * rows * cols);
        img.getRaster().setDataElements(0, 0, cols, rows, one);
        return img;
    }

    /** Image {@code i} encoded as a PNG file, as a sensor would send it. */
    public byte[] png(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            ImageIO.write(image(i), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The images whose indices are given, in that order. */
    public LabeledImages select(int[] indices) {
        int size = rows * cols;
        byte[] p = new byte[indices.length * size];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * size, p, k * size, size);
            l[k] = labels[indices[k]];
        }
        return new LabeledImages(rows, cols, p, l);
    }

    /** The first {@code n} images (all of them if there are fewer). */
    public LabeledImages first(int n) {
        int k = Math.min(n, count());
        return new LabeledImages(rows, cols, Arrays.copyOf(pixels, k * rows * cols), Arrays.copyOf(labels, k));
    }
}
