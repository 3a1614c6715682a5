package io.argus.common.image;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * THE image preprocessing of Argus, used by training and inference alike: decode (bounded by
 * {@link ImageLimits}), colour conversion to the model's channels, centre crop to the model's
 * aspect ratio, resize, normalisation to the {@link InputSpec}, laid out channels-first (CHW) as
 * DL4J and ONNX models expect. Keeping one implementation makes train/serve skew impossible by
 * construction; do not copy any of it elsewhere.
 *
 * <p>Thread-safe.
 */
public final class ImagePreprocessor {

    private final InputSpec spec;
    private final ImageDecoder decoder;
    private final float[] scale;
    private final float[] shift;
    /** Whether plain PNGs skip ImageIO ({@link PlainPng}); off only to compare the two paths in tests. */
    private final boolean plainPngs;

    /** Preprocessing whose decodes run as they come, without a memory budget. */
    public ImagePreprocessor(InputSpec spec, ImageLimits limits) {
        this(spec, limits, DecodeMemory.unbounded());
    }

    /**
     * Preprocessing whose decodes claim their memory from {@code memory} (one per service). Decodes
     * are subsampled to twice the model's input size, so a claim stays small whatever the image;
     * when the budget is taken for longer than its wait, {@link #prepare(byte[])} throws
     * {@link DecoderBusy}: a stream consumer should then wait and try the record again, not
     * dead-letter it.
     */
    public ImagePreprocessor(InputSpec spec, ImageLimits limits, DecodeMemory memory) {
        this(spec, limits, memory, true);
    }

    /** Preprocessing that decodes every file with ImageIO, plain PNGs included: the reference the fast path is held to. */
    static ImagePreprocessor imageIoOnly(InputSpec spec, ImageLimits limits) {
        return new ImagePreprocessor(spec, limits, DecodeMemory.unbounded(), false);
    }

    private ImagePreprocessor(InputSpec spec, ImageLimits limits, DecodeMemory memory, boolean plainPngs) {
        this.plainPngs = plainPngs;
        this.spec = spec;
        this.decoder = new ImageDecoder(limits, memory);
        int c = spec.channels();
        this.scale = new float[c];
        this.shift = new float[c];
        List<Double> mean = spec.mean();
        List<Double> std = spec.std();
        for (int k = 0; k < c; k++) {
            // (v / 255 - mean) / std  ==  v * scale + shift
            scale[k] = (float) (1.0 / (255.0 * std.get(k)));
            shift[k] = (float) (-mean.get(k) / std.get(k));
        }
    }

    public InputSpec spec() {
        return spec;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** Decodes image file bytes and writes the model input at {@code dst[offset ..]}. */
    public void prepare(byte[] imageFile, float[] dst, int offset) {
        PlainPng.Pixels plain = plainPngs ? decoder.plainPng(imageFile, spec.width(), spec.height()) : null;
        if (plain != null) {
            prepare(PixelReader.read(plain.samples(), plain.colours(), spec.channels()), plain.width(), plain.height(),
                    dst, offset);
            return;
        }
        DecodedImage decoded = decoder.decode(imageFile, spec.width(), spec.height());
        try {
            prepare(decoded.image(), dst, offset);
        } catch (RuntimeException e) {
            // A decoder can hand back pixels its own colour model cannot describe (found by fuzzing).
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE, "the " + decoded.format().name()
                    + " image decodes, but its pixels cannot be read: " + e, e);
        } catch (OutOfMemoryError e) {
            throw new DecoderBusy("preparing this " + decoded.format().name() + " image ran out of memory, which "
                    + "says nothing about the image: retry later", decoder.memory().retryAfter(), e);
        }
    }

    /** Decodes image file bytes into a new model input of {@link InputSpec#size()} floats. */
    public float[] prepare(byte[] imageFile) {
        float[] out = new float[spec.size()];
        prepare(imageFile, out, 0);
        return out;
    }

    /**
     * As {@link #prepare(byte[])}, then brought through the calibration of the image's sensor
     * ({@link SensorCalibration#IDENTITY}: none), as serving does with every image: the stream, the
     * synchronous API and a shadow candidate alike.
     */
    public float[] prepare(byte[] imageFile, SensorCalibration calibration) {
        float[] out = prepare(imageFile);
        if (calibration != SensorCalibration.IDENTITY) {
            calibration.apply(out, 0, spec);
        }
        return out;
    }

    /** Writes the model input for already decoded pixels at {@code dst[offset ..]}. */
    public void prepare(BufferedImage image, float[] dst, int offset) {
        prepare(PixelReader.read(image, spec.channels()), image.getWidth(), image.getHeight(), dst, offset);
    }

    /** Writes the model input for {@code h x w} pixels of the model's channels, 8 bits each, at {@code dst[offset ..]}. */
    private void prepare(byte[] pixels, int w, int h, float[] dst, int offset) {
        int c = spec.channels();
        int tw = spec.width();
        int th = spec.height();

        // Centre crop to the target aspect ratio, then resize: nothing is stretched.
        int cw = w;
        int ch = h;
        if ((long) w * th > (long) h * tw) {
            cw = Math.max(1, (int) Math.round((double) h * tw / th));
        } else if ((long) w * th < (long) h * tw) {
            ch = Math.max(1, (int) Math.round((double) w * th / tw));
        }
        int x0 = (w - cw) / 2;
        int y0 = (h - ch) / 2;

        int plane = th * tw;
        if (cw == tw && ch == th) {
            // Plane by plane, so that the writes are in order (pixel by pixel they were a plane apart).
            for (int k = 0; k < c; k++) {
                float a = scale[k];
                float b = shift[k];
                for (int y = 0; y < th; y++) {
                    int p = ((y0 + y) * w + x0) * c + k;
                    int d = offset + k * plane + y * tw;
                    for (int x = 0; x < tw; x++, p += c) {
                        dst[d + x] = (pixels[p] & 0xFF) * a + b;
                    }
                }
            }
            return;
        }
        float[] resized = Resampler.resize(pixels, w, c, x0, y0, cw, ch, tw, th);
        for (int i = 0; i < plane; i++) {
            for (int k = 0; k < c; k++) {
                dst[offset + k * plane + i] = resized[i * c + k] * scale[k] + shift[k];
            }
        }
    }

    /** Model input for already decoded pixels. */
    public float[] prepare(BufferedImage image) {
        float[] out = new float[spec.size()];
        prepare(image, out, 0);
        return out;
    }
}
