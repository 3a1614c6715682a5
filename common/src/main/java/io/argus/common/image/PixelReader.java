package io.argus.common.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Reads any decoded image into 8-bit interleaved pixels with 1 (grey) or 3 (RGB) channels.
 *
 * <p>Grey and sRGB images are read band by band, so 16-bit and grey images keep their exact
 * values ({@code BufferedImage.getRGB} would push grey through a gamma conversion). Everything
 * else (palettes, other colour spaces) goes through {@code getRGB}, which converts to sRGB, except
 * multi-band images with no colour space, whose first three bands are read as RGB.
 * Transparent pixels are composited over black.
 */
final class PixelReader {

    private static final double LUMA_R = 0.299;
    private static final double LUMA_G = 0.587;
    private static final double LUMA_B = 0.114;

    private PixelReader() {
    }

    /** Pixels as {@code byte[height][width][channels]}, flattened. */
    static byte[] read(BufferedImage image, int channels) {
        ColorModel cm = image.getColorModel();
        int colours = cm.getNumColorComponents();
        int spaceType = cm.getColorSpace().getType();
        boolean bandsAreUsable = !(cm instanceof IndexColorModel)
                && ((colours == 1 && spaceType == ColorSpace.TYPE_GRAY) || (colours == 3 && cm.getColorSpace().isCS_sRGB()))
                && !cm.isAlphaPremultiplied();
        if (bandsAreUsable) {
            return fromBands(image, cm, colours, cm.hasAlpha() && image.getRaster().getNumBands() == colours + 1,
                    channels);
        }
        if (spaceType >= ColorSpace.TYPE_2CLR && spaceType <= ColorSpace.TYPE_FCLR && !(cm instanceof IndexColorModel)) {
            return multiBand(image, cm, channels);
        }
        return fromRgb(image, channels);
    }

    /**
     * Interleaved 8-bit grey ({@code colours} 1) or RGB (3) samples, as {@link #read(BufferedImage, int)}
     * reads a decoded image of them: grey repeated for RGB, RGB to luma for grey.
     */
    static byte[] read(byte[] samples, int colours, int channels) {
        if (colours == channels) {
            return samples;
        }
        int pixels = samples.length / colours;
        byte[] out = new byte[pixels * channels];
        for (int i = 0; i < pixels; i++) {
            if (colours == 1) {
                out[3 * i] = samples[i];
                out[3 * i + 1] = samples[i];
                out[3 * i + 2] = samples[i];
            } else {
                store(out, i, 1, samples[3 * i] & 0xFF, samples[3 * i + 1] & 0xFF, samples[3 * i + 2] & 0xFF);
            }
        }
        return out;
    }

    /**
     * Multi-band images without a colour space (satellite TIFFs: 4 to 15 bands, often 16-bit):
     * the first three bands are taken as red, green and blue (the first one alone for fewer than
     * three), the rest (near infrared and the like) is not used by an RGB or grey model.
     */
    private static byte[] multiBand(BufferedImage image, ColorModel cm, int channels) {
        return fromBands(image, cm, image.getRaster().getNumBands() >= 3 ? 3 : 1, false, channels);
    }

    /**
     * The first {@code colours} bands as grey (1) or RGB (3), any bit depth, composited over black
     * when {@code alpha} says the band after them is alpha.
     */
    private static byte[] fromBands(BufferedImage image, ColorModel cm, int colours, boolean alpha, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int[] bits = new int[bands];
        for (int b = 0; b < bands; b++) {
            bits[b] = cm.getComponentSize(b);
        }
        if (!alpha && eightBits(bits, colours) && raster.getDataBuffer() instanceof DataBufferByte data
                && data.getNumBanks() == 1 && raster.getSampleModel() instanceof ComponentSampleModel layout) {
            return fromBytes(raster, data, layout, colours, channels);
        }
        byte[] out = new byte[w * h * channels];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int p = x * bands;
                int a = alpha ? to8(row[p + colours], bits[colours]) : 255;
                int o = (y * w + x) * channels;
                if (colours == 1) {
                    int g = over(to8(row[p], bits[0]), a);
                    out[o] = (byte) g;
                    if (channels == 3) {
                        out[o + 1] = (byte) g;
                        out[o + 2] = (byte) g;
                    }
                } else {
                    store(out, o, channels, over(to8(row[p], bits[0]), a), over(to8(row[p + 1], bits[1]), a),
                            over(to8(row[p + 2], bits[2]), a));
                }
            }
        }
        return out;
    }

    private static boolean eightBits(int[] bits, int colours) {
        for (int b = 0; b < colours; b++) {
            if (bits[b] != 8) {
                return false;
            }
        }
        return true;
    }

    /**
     * As {@link #fromBands} for 8-bit samples in one byte array, what ImageIO's JPEG and PNG readers
     * hand back: read in place. {@code Raster.getPixels} widened every sample to an int first and was
     * the larger part of decoding a 224x224 JPEG in inference-service (docs/serving.md, "Fewer
     * allocations per batch").
     */
    private static byte[] fromBytes(Raster raster, DataBufferByte data, ComponentSampleModel layout, int colours,
                                    int channels) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] samples = data.getData();
        int pixelStride = layout.getPixelStride();
        int lineStride = layout.getScanlineStride();
        int[] bandOffsets = layout.getBandOffsets();
        // A sub-image's raster shares its parent's array: its (0, 0) lies where the translation says.
        int origin = data.getOffset() + (raster.getMinY() - raster.getSampleModelTranslateY()) * lineStride
                + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
        byte[] out = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            int p = origin + y * lineStride;
            int o = y * w * channels;
            for (int x = 0; x < w; x++, p += pixelStride, o += channels) {
                if (colours == 1) {
                    byte g = samples[p + bandOffsets[0]];
                    out[o] = g;
                    if (channels == 3) {
                        out[o + 1] = g;
                        out[o + 2] = g;
                    }
                } else {
                    store(out, o, channels, samples[p + bandOffsets[0]] & 0xFF, samples[p + bandOffsets[1]] & 0xFF,
                            samples[p + bandOffsets[2]] & 0xFF);
                }
            }
        }
        return out;
    }

    private static byte[] fromRgb(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * channels];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int a = argb >>> 24;
                store(out, (y * w + x) * channels, channels, over((argb >> 16) & 0xFF, a), over((argb >> 8) & 0xFF, a),
                        over(argb & 0xFF, a));
            }
        }
        return out;
    }

    private static void store(byte[] out, int o, int channels, int r, int g, int b) {
        if (channels == 1) {
            out[o] = (byte) (int) Math.round(LUMA_R * r + LUMA_G * g + LUMA_B * b);
        } else {
            out[o] = (byte) r;
            out[o + 1] = (byte) g;
            out[o + 2] = (byte) b;
        }
    }

    /** A sample of any bit depth scaled to 0..255. */
    private static int to8(int sample, int bits) {
        if (bits <= 0) {
            throw new IllegalArgumentException("a colour component of " + bits + " bits");
        }
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }

    private static int over(int value, int alpha) {
        return alpha == 255 ? value : value * alpha / 255;
    }
}
