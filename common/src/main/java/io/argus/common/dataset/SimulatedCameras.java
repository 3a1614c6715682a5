package io.argus.common.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;

import javax.imageio.ImageIO;

/**
 * Cameras that see the world differently from the ones a model was trained on, simulated on
 * greyscale images: the new sensors of the demo, the learning report and the learning tests.
 */
public final class SimulatedCameras {

    /** The kinds of shift {@link #shift} knows. */
    public static final List<String> SHIFTS = List.of("inverted", "low-contrast", "gamma", "blur", "noise", "rotated");

    private SimulatedCameras() {
    }

    /** How a camera with this shift renders an image ({@code noise} draws from {@code random}). */
    public static UnaryOperator<BufferedImage> shift(String shift, Random random) {
        return switch (shift) {
            case "inverted" -> SimulatedCameras::invert;
            case "low-contrast" -> img -> map(img, v -> (int) Math.round(90 + 0.35 * v));
            case "gamma" -> img -> map(img, v -> (int) Math.round(255 * Math.pow(v / 255.0, 2.5)));
            case "noise" -> img -> map(img, v -> (int) Math.round(v + random.nextGaussian() * 40));
            case "blur" -> SimulatedCameras::blur;
            case "rotated" -> SimulatedCameras::rotate;
            default -> throw new IllegalArgumentException("unknown shift '" + shift + "'; known: " + SHIFTS);
        };
    }

    /** Dark objects on a light background. */
    public static BufferedImage invert(BufferedImage img) {
        return map(img, v -> 255 - v);
    }

    /** Mounted a quarter turn off. */
    public static BufferedImage rotate(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getHeight(), img.getWidth(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.getRaster().setSample(img.getHeight() - 1 - y, x, 0, img.getRaster().getSample(x, y, 0));
            }
        }
        return out;
    }

    /** A soft lens: a 3x3 box blur. */
    public static BufferedImage blur(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        int w = img.getWidth();
        int h = img.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += img.getRaster().getSample(Math.min(w - 1, Math.max(0, x + dx)),
                                Math.min(h - 1, Math.max(0, y + dy)), 0);
                    }
                }
                out.getRaster().setSample(x, y, 0, sum / 9);
            }
        }
        return out;
    }

    /** A pattern no piece of clothing looks like: a 28x28 checkerboard of random phase and contrast. */
    public static BufferedImage checkerboard(Random random) {
        BufferedImage out = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        int cell = 3 + random.nextInt(3);
        int dx = random.nextInt(cell);
        int dy = random.nextInt(cell);
        int high = 180 + random.nextInt(76);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean on = ((x + dx) / cell + (y + dy) / cell) % 2 == 0;
                out.getRaster().setSample(x, y, 0, on ? high : random.nextInt(30));
            }
        }
        return out;
    }

    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage map(BufferedImage img, IntUnaryOperator f) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255,
                        f.applyAsInt(img.getRaster().getSample(x, y, 0)))));
            }
        }
        return out;
    }
}
