package io.argus.common.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns image file bytes into pixels, safely: format from the magic bytes, size and pixel-count
 * limits checked from the header before decoding, and every decoder failure reported as an
 * {@link ImageRejected} with a reason instead of an exception from deep inside ImageIO.
 *
 * <p>Thread-safe; each call uses its own reader.
 */
public final class ImageDecoder {

    static {
        // ImageIO's disk cache only slows in-memory decoding down and leaves temp files behind.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Decodes the first frame at full resolution. */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, 0, 0);
    }

    /**
     * Decodes the first frame, at reduced resolution when the image is far larger than needed:
     * a 12-megapixel JPEG bound for a 224x224 model is subsampled while decoding (2-4x faster)
     * but never to less than twice the target size, so the resampler still sees real detail.
     *
     * @param targetWidth  the width the pixels will be resized to, or 0 for full resolution
     * @param targetHeight the height the pixels will be resized to, or 0 for full resolution
     */
    public DecodedImage decode(byte[] bytes, int targetWidth, int targetHeight) {
        return withReader(bytes, (format, reader, width, height) -> {
            if (format == ImageFormat.JPEG) {
                requireEndMarker(bytes);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(width, height, targetWidth, targetHeight);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (format == ImageFormat.JPEG) {
                image = ExifOrientation.apply(image, ExifOrientation.of(bytes));
            }
            return new DecodedImage(format, width, height, image);
        });
    }

    /** Format and dimensions from the header only, without decoding pixels. */
    public DecodedImage probe(byte[] bytes) {
        return withReader(bytes, (format, reader, width, height) -> new DecodedImage(format, width, height, null));
    }

    /** What to do with a reader positioned on an image whose header passed the checks. */
    @FunctionalInterface
    private interface ReaderTask {
        DecodedImage apply(ImageFormat format, ImageReader reader, int width, int height) throws IOException;
    }

    private DecodedImage withReader(byte[] bytes, ReaderTask task) {
        ImageFormat format = checkFormatAndSize(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(format, in);
            try {
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkPixels(width, height);
                return task.apply(format, reader, width, height);
            } finally {
                reader.dispose();
            }
        } catch (ImageRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders signal broken input with anything from IIOException to ArrayIndexOutOfBounds.
            throw corrupt(format, e);
        } catch (OutOfMemoryError e) {
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE,
                    "the " + format.name() + " image needs more memory to decode than is available", e);
        }
    }

    private ImageFormat checkFormatAndSize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejected(RejectReason.EMPTY, "the image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejected(RejectReason.TOO_LARGE,
                    "the image is " + bytes.length + " bytes; the limit is " + limits.maxBytes());
        }
        return ImageFormat.sniff(bytes).orElseThrow(() -> new ImageRejected(RejectReason.UNSUPPORTED_FORMAT,
                "the bytes are not a JPEG, PNG, GIF, BMP or TIFF image"));
    }

    private void checkPixels(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE, "the header declares " + width + "x" + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageRejected(RejectReason.TOO_MANY_PIXELS, "the header declares " + width + "x" + height
                    + " = " + pixels + " pixels; the limit is " + limits.maxPixels());
        }
    }

    private static void requireEndMarker(byte[] jpeg) {
        if (JpegEnd.of(jpeg) < 0) {
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE, "the JPEG ends before its end-of-image marker (FF D9): "
                    + "the file is truncated (" + jpeg.length + " bytes arrived); send the whole file");
        }
    }

    private static ImageReader readerFor(ImageFormat format, ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("no image input stream");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageRejected(RejectReason.UNSUPPORTED_FORMAT, "no decoder for " + format.name() + " is installed");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    static int subsampling(int width, int height, int targetWidth, int targetHeight) {
        if (targetWidth <= 0 || targetHeight <= 0) {
            return 1;
        }
        int step = Math.min(width / (2 * targetWidth), height / (2 * targetHeight));
        return Math.max(1, step);
    }

    private static ImageRejected corrupt(ImageFormat format, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (format == ImageFormat.JPEG && detail.contains("Unsupported Image Type")) {
            // ImageIO's words for a 4-channel JPEG: print workflows' CMYK/YCCK, not a camera's.
            return new ImageRejected(RejectReason.UNSUPPORTED_FORMAT,
                    "the JPEG has CMYK or YCCK colour, which is not supported: send RGB or greyscale", e);
        }
        return new ImageRejected(RejectReason.CORRUPT_IMAGE,
                "the bytes start like a " + format.name() + " image but cannot be decoded: " + detail, e);
    }
}
