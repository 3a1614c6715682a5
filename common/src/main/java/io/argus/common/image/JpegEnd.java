package io.argus.common.image;

/**
 * Finds the end-of-image marker (FF D9) that closes a JPEG's image data, walking the file's
 * segments the way a decoder does.
 *
 * <p>Why: libjpeg (inside ImageIO) decodes a JPEG cut short without an error; it warns and paints
 * the missing rows grey, so a photo cut off mid-upload would be classified. A JPEG is whole only if
 * its end marker is there. A plain search for FF D9 would not do: an EXIF thumbnail is a JPEG with
 * its own end marker, inside the APP1 segment. So segments are skipped by their lengths, and scan
 * data (where FF is always followed by 00 or a restart marker) is read until the next marker.
 *
 * <p>Bytes after the end marker are not looked at: phones append videos (motion photos) and
 * vendors append trailers there, and decoders ignore them.
 */
final class JpegEnd {

    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;

    private JpegEnd() {
    }

    /** The offset just past the end-of-image marker, or -1 when the bytes end before it. */
    static int of(byte[] jpeg) {
        int p = 2; // after SOI
        while (true) {
            p = nextMarker(jpeg, p);
            if (p < 0) {
                return -1;
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == EOI) {
                return p + 2;
            }
            if (standalone(marker)) {
                p += 2;
                continue;
            }
            if (p + 4 > jpeg.length) {
                return -1;
            }
            int length = (jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF);
            if (length < 2 || p + 2 + length > jpeg.length) {
                return -1;
            }
            p += 2 + length;
            if (marker == SOS) {
                p = endOfScan(jpeg, p);
                if (p < 0) {
                    return -1;
                }
            }
        }
    }

    /**
     * The position of the next marker's FF at or after {@code p}, skipping stray bytes and fill
     * bytes (FF FF ...) as libjpeg does; -1 if the bytes end first.
     */
    private static int nextMarker(byte[] b, int p) {
        while (p + 1 < b.length) {
            if ((b[p] & 0xFF) == 0xFF) {
                int next = b[p + 1] & 0xFF;
                if (next != 0xFF && next != 0x00) {
                    return p;
                }
            }
            p++;
        }
        return -1;
    }

    /** Past the entropy-coded data of a scan: the position of the first marker that is no restart marker. */
    private static int endOfScan(byte[] b, int p) {
        while (p + 1 < b.length) {
            if ((b[p] & 0xFF) == 0xFF) {
                int next = b[p + 1] & 0xFF;
                if (next == 0x00 || next == 0xFF || isRestart(next)) {
                    p += next == 0xFF ? 1 : 2; // stuffed zero, fill byte or restart: still scan data
                    continue;
                }
                return p;
            }
            p++;
        }
        return -1;
    }

    private static boolean standalone(int marker) {
        return marker == TEM || marker == 0xD8 || isRestart(marker);
    }

    private static boolean isRestart(int marker) {
        return marker >= 0xD0 && marker <= 0xD7;
    }
}
