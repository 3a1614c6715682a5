package io.argus.common.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * The EXIF orientation of a JPEG, and the turn that makes its pixels upright.
 *
 * <p>Phone and camera firmware store pixels as the sensor read them and record in EXIF how the
 * device was held; viewers turn the picture, ImageIO does not. A model trained on upright images
 * must see them upright too, so the decoder applies the tag. Only the orientation tag is read, with
 * every offset checked: a broken EXIF block means "upright", never a failure.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;

    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation (1-8) from the JPEG's EXIF block; {@link #UPRIGHT} when there is none. */
    static int of(byte[] jpeg) {
        int p = 2; // after SOI
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            int length = u16(jpeg, p + 2, false);
            if (marker == 0xDA || marker == 0xD9 || length < 2) {
                break; // image data starts: no EXIF came before it
            }
            if (marker == 0xE1 && length >= 8 && p + 4 + 6 <= jpeg.length && startsWithExif(jpeg, p + 4)) {
                return fromTiff(jpeg, p + 10, Math.min(jpeg.length, p + 2 + length));
            }
            p += 2 + length;
        }
        return UPRIGHT;
    }

    private static boolean startsWithExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0
                && b[at + 5] == 0;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return UPRIGHT;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return UPRIGHT;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + i * 12;
            if (e + 12 > end) {
                break;
            }
            if (u16(b, e, little) == TAG_ORIENTATION) {
                int value = u16(b, e + 8, little);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    /** The image turned and/or mirrored so that it is upright; the same image for orientation 1. */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= UPRIGHT || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        WritableRaster src = image.getRaster();
        WritableRaster dst = src.createCompatibleWritableRaster(ow, oh);
        int[] pixel = new int[src.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                src.getPixel(x, y, pixel);
                // Where the stored pixel (x, y) lands in the upright picture (EXIF 2.32, tag 274).
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; } // 8
                }
                dst.setPixel(dx, dy, pixel);
            }
        }
        return new BufferedImage(image.getColorModel(), dst, image.isAlphaPremultiplied(), null);
    }

    private static int u16(byte[] b, int at, boolean little) {
        int a = b[at] & 0xFF;
        int c = b[at + 1] & 0xFF;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
