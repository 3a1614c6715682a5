package io.argus.common.ood;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Images of other domains than a model's training data, generated, as PNG files: what the
 * out-of-distribution report and tests send through the same decoding and preprocessing as served
 * images. Each kind is seeded, so a measurement can be repeated.
 */
public final class OtherDomainImages {

    /** What is drawn. */
    public enum Kind {
        /** Every pixel uniformly random, grey. */
        NOISE,
        /** One to four filled or outlined circles, rectangles and lines, light on dark or dark on light. */
        SHAPES,
        /** A random word in a system font (needs fonts: the report's only kind that does). */
        TEXT,
        /** Photo-like: a smooth light gradient at a random angle with soft blobs over it, no black background. */
        GRADIENT
    }

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private OtherDomainImages() {
    }

    /** {@code count} PNG images of {@code kind}, {@code size} pixels square. */
    public static List<byte[]> generate(Kind kind, int count, int size, long seed) {
        Random random = new Random(seed * 31 + kind.ordinal());
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            switch (kind) {
                case NOISE -> noise(image, random);
                case SHAPES -> shapes(image, random);
                case TEXT -> text(image, random);
                case GRADIENT -> gradient(image, random);
            }
            out.add(png(image));
        }
        return out;
    }

    private static void noise(BufferedImage image, Random random) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = random.nextInt(256);
                image.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }
    }

    private static void shapes(BufferedImage image, Random random) {
        int s = image.getWidth();
        Graphics2D g = canvas(image, random);
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
            int x = random.nextInt(s);
            int y = random.nextInt(s);
            int w = s / 8 + random.nextInt(s / 2);
            int h = s / 8 + random.nextInt(s / 2);
            g.setStroke(new BasicStroke(1 + random.nextInt(Math.max(1, s / 10))));
            switch (random.nextInt(5)) {
                case 0 -> g.fillOval(x - w / 2, y - h / 2, w, h);
                case 1 -> g.drawOval(x - w / 2, y - h / 2, w, h);
                case 2 -> g.fillRect(x - w / 2, y - h / 2, w, h);
                case 3 -> g.drawRect(x - w / 2, y - h / 2, w, h);
                default -> g.drawLine(random.nextInt(s), random.nextInt(s), random.nextInt(s), random.nextInt(s));
            }
        }
        g.dispose();
    }

    private static void text(BufferedImage image, Random random) {
        int s = image.getWidth();
        Graphics2D g = canvas(image, random);
        StringBuilder word = new StringBuilder();
        for (int k = 1 + random.nextInt(5); k > 0; k--) {
            word.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        g.setFont(new Font(random.nextBoolean() ? Font.SANS_SERIF : Font.SERIF,
                random.nextBoolean() ? Font.BOLD : Font.PLAIN, s / 4 + random.nextInt(s / 3)));
        int width = g.getFontMetrics().stringWidth(word.toString());
        g.drawString(word.toString(), Math.max(0, (s - width) / 2) - random.nextInt(s / 8 + 1),
                s / 2 + g.getFontMetrics().getAscent() / 3 + random.nextInt(s / 8 + 1));
        g.dispose();
    }

    private static void gradient(BufferedImage image, Random random) {
        int s = image.getWidth();
        double angle = random.nextDouble() * 2 * Math.PI;
        double from = random.nextDouble() * 255;
        double to = random.nextDouble() * 255;
        int blobs = random.nextInt(4);
        double[][] blob = new double[blobs][];
        for (int b = 0; b < blobs; b++) {
            blob[b] = new double[] {random.nextDouble() * s, random.nextDouble() * s, s / 8.0 + random.nextDouble() * s / 3,
                    random.nextDouble() * 160 - 80};
        }
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double t = ((x - s / 2.0) * Math.cos(angle) + (y - s / 2.0) * Math.sin(angle)) / s + 0.5;
                double v = from + (to - from) * Math.max(0, Math.min(1, t));
                for (double[] b : blob) {
                    double r2 = ((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (b[2] * b[2]);
                    v += b[3] * Math.exp(-r2);
                }
                int g = (int) Math.max(0, Math.min(255, Math.round(v + random.nextGaussian() * 4)));
                image.getRaster().setSample(x, y, 0, g);
            }
        }
    }

    /** A background and a contrasting foreground colour, each drawn from its end of the grey scale. */
    private static Graphics2D canvas(BufferedImage image, Random random) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        boolean dark = random.nextBoolean();
        int bg = dark ? random.nextInt(64) : 192 + random.nextInt(64);
        int fg = dark ? 160 + random.nextInt(96) : random.nextInt(96);
        g.setColor(new Color(bg, bg, bg));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(new Color(fg, fg, fg));
        return g;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
