package io.argus.common.image;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * The heap a decode takes, estimated from the header before any pixel is decoded: the pixels kept
 * (after subsampling), in the layout the reader will decode into (a 16-bit RGBA PNG takes 8 bytes
 * a pixel, not 4), plus what the reader works with: two rows of the full width (the row and the
 * one before it, which PNG's filters need), or one TIFF strip or tile; for a JPEG once more the
 * pixels kept, for the copy that turns an EXIF-rotated photo upright or converts CMYK.
 *
 * <p>An estimate, not a measure: small buffers and the file's own bytes (already in memory) are
 * not counted, nor libjpeg's native memory (a progressive JPEG holds its coefficients there).
 */
final class DecodeCost {

    private DecodeCost() {
    }

    static long bytes(ImageFormat format, ImageReader reader, int width, int height, int step) throws IOException {
        long perPixel = bytesPerPixel(reader);
        long kept = ceilDiv(width, step) * ceilDiv(height, step) * perPixel;
        long working = format == ImageFormat.TIFF
                ? (long) reader.getTileWidth(0) * reader.getTileHeight(0) * perPixel
                : 2L * width * perPixel;
        long copy = format == ImageFormat.JPEG ? kept : 0;
        return kept + working + copy;
    }

    /** Bytes of one decoded pixel, from the first image type the reader offers (at least 1). */
    static long bytesPerPixel(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (types == null || !types.hasNext()) {
            return 4; // an int per pixel, the widest common layout
        }
        SampleModel model = types.next().getSampleModel(1, 1);
        long bits = (long) model.getNumDataElements() * DataBuffer.getDataTypeSize(model.getDataType());
        return Math.max(1, (bits + 7) / 8);
    }

    private static long ceilDiv(int n, int d) {
        return (n + (long) d - 1) / d;
    }
}
