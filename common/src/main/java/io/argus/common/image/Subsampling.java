package io.argus.common.image;

import java.io.IOException;

import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;

/**
 * How much of an image to decode: every pixel (step 1) or every n-th pixel of every n-th row
 * (step n, ImageIO's source subsampling). The reader still reads the whole file at any step, for
 * compressed data (every row depends on the bytes before it); it only keeps fewer pixels.
 */
final class Subsampling {

    /**
     * Pixels kept when an image is decoded only to check that it decodes (ingest): a megapixel,
     * 8 MB for a 16-bit RGBA image, whatever its size. A 49-megapixel PNG would take 392 MB.
     */
    static final long VERIFY_PIXELS = 1L << 20;

    private Subsampling() {
    }

    /**
     * For model input of {@code targetWidth x targetHeight}: the largest step that still leaves
     * twice the target size, so the resampler sees real detail; 1 when no target is given.
     */
    static int forTarget(int width, int height, int targetWidth, int targetHeight) {
        if (targetWidth <= 0 || targetHeight <= 0) {
            return 1;
        }
        int step = Math.min(width / (2 * targetWidth), height / (2 * targetHeight));
        return Math.max(1, step);
    }

    /**
     * For a check that every byte of the image decodes: the smallest step that keeps at most
     * {@link #VERIFY_PIXELS}, for formats whose readers read all of the pixel data at any step;
     * 1 (every pixel) for uncompressed BMP and TIFF data, whose readers skip the rows they do not
     * keep, so that a file cut short would pass. Those decode to about their file's size anyway.
     */
    static int forVerification(ImageFormat format, ImageReader reader, int width, int height) {
        if (format == ImageFormat.BMP || (format == ImageFormat.TIFF && !compressedTiff(reader))) {
            return 1;
        }
        long pixels = (long) width * height;
        if (pixels <= VERIFY_PIXELS) {
            return 1;
        }
        int step = (int) Math.ceil(Math.sqrt((double) pixels / VERIFY_PIXELS));
        // Very wide or very tall images: one axis cannot shrink below a pixel, so step on.
        while (kept(width, step) * kept(height, step) > VERIFY_PIXELS) {
            step++;
        }
        return step;
    }

    private static long kept(int length, int step) {
        return (length + (long) step - 1) / step;
    }

    /** Whether the TIFF's data is compressed; when that cannot be told, "no": decoding every pixel is the safe side. */
    private static boolean compressedTiff(ImageReader reader) {
        try {
            IIOMetadata metadata = reader.getImageMetadata(0);
            if (metadata == null) {
                return false;
            }
            TIFFField compression = TIFFDirectory.createFromMetadata(metadata)
                    .getTIFFField(BaselineTIFFTagSet.TAG_COMPRESSION);
            return compression != null && compression.getAsInt(0) != BaselineTIFFTagSet.COMPRESSION_NONE;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
