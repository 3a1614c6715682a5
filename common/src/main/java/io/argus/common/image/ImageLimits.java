package io.argus.common.image;

/**
 * Bounds checked before an image is decoded.
 *
 * @param maxBytes  largest accepted file
 * @param maxPixels largest accepted width x height, read from the header before any pixel is decoded
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    /** 10 MiB and 50 megapixels: a large camera frame fits, a decompression bomb does not. */
    public static final ImageLimits DEFAULT = new ImageLimits(10L * 1024 * 1024, 50_000_000L);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + " bytes, " + maxPixels + " pixels");
        }
    }
}
