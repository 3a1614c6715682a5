package io.argus.tools.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Camera-like JPEGs: a sky-to-ground gradient, overlapping shapes with soft edges and sensor noise,
 * encoded at quality 90. Their size in bytes (what a decoder has to chew through) is close to
 * that of real photos of the same resolution, which is what matters for decode speed.
 */
final class SyntheticPhotos {

    private SyntheticPhotos() {
    }

    static byte[] jpeg(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Random r = new Random(seed);
        g.setPaint(new GradientPaint(0, 0, new Color(70 + r.nextInt(60), 120, 190), 0, height,
                new Color(90, 110 + r.nextInt(60), 60)));
        g.fillRect(0, 0, width, height);
        int shapes = Math.max(20, width * height / 8000);
        for (int i = 0; i < shapes; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 60 + r.nextInt(160)));
            int w = width / 60 + r.nextInt(width / 8);
            int h = height / 60 + r.nextInt(height / 8);
            if (r.nextBoolean()) {
                g.fillOval(r.nextInt(width), r.nextInt(height), w, h);
            } else {
                g.fillRect(r.nextInt(width), r.nextInt(height), w, h);
            }
        }
        g.dispose();
        WritableRaster raster = img.getRaster();
        int[] row = new int[width * 3];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int i = 0; i < row.length; i++) {
                row[i] = Math.max(0, Math.min(255, row[i] + (int) Math.round(r.nextGaussian() * 4)));
            }
            raster.setPixels(0, y, width, 1, row);
        }
        return encode(img);
    }

    private static byte[] encode(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(img, null, null), param);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
