package io.argus.common.image;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the plainest PNGs without ImageIO: 8-bit grey or RGB, not interlaced, nothing but
 * IHDR, IDAT and IEND, every CRC right, the compressed data whole and ending where the file ends.
 * That is what a camera or Java's own PNG writer sends for a small picture, and ImageIO spends
 * more on finding a reader, its streams and its metadata for a 28x28 image than on decoding it.
 *
 * <p>The pixels are the same bytes ImageIO's reader gives (PNG is lossless; ImageIO applies no
 * gamma or colour profile to such a file). Anything else, or any doubt, is not decided here:
 * {@link #decode} answers null and the caller decodes with ImageIO, which accepts or refuses the
 * file as it always did. So this path can only ever accept what ImageIO accepts, with its pixels.
 *
 * <p>Thread-safe; each thread keeps one {@link Inflater}.
 */
final class PlainPng {

    /** Larger images go through ImageIO, whose set-up is small against their decoding. */
    static final long MAX_PIXELS = 512 * 512;

    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;
    private static final int GREY = 0;
    private static final int RGB = 2;

    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

    /** Decoded pixels: {@code height x width x colours} bytes, colours 1 (grey) or 3 (RGB). */
    record Pixels(int width, int height, int colours, byte[] samples) {
    }

    /** The header of a file this class would decode, read before any pixel is. */
    record Header(int width, int height, int colours) {
    }

    private PlainPng() {
    }

    /** The header if the file is a plain PNG by its first chunk (its other chunks are checked by {@link #decode}). */
    static Header header(byte[] b) {
        // signature (8), IHDR length (4) and type (4), 13 bytes of data, CRC (4)
        if (b.length < 8 + 8 + 13 + 4 + 12 || ImageFormat.sniff(b).orElse(null) != ImageFormat.PNG
                || int32(b, 8) != 13 || int32(b, 12) != IHDR || !crcMatches(b, 12, 13)) {
            return null;
        }
        int width = int32(b, 16);
        int height = int32(b, 20);
        int depth = b[24];
        int type = b[25];
        if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS || depth != 8
                || (type != GREY && type != RGB) || b[26] != 0 || b[27] != 0 || b[28] != 0) {
            return null;
        }
        return new Header(width, height, type == GREY ? 1 : 3);
    }

    /** The pixels of a plain PNG whose {@link #header} is {@code h}, or null when it is not plain after all. */
    static Pixels decode(byte[] b, Header h) {
        int stride = h.width() * h.colours();
        int expected = (stride + 1) * h.height();
        // One byte to spare: data beyond the rows shows as such, and the stream's checksum is read.
        byte[] filtered = new byte[expected + 1];
        Inflater inflater = INFLATER.get();
        inflater.reset();
        try {
            int p = 8 + 12 + 13;
            int out = 0;
            boolean data = false;
            while (true) {
                if (p + 12 > b.length) {
                    return null;
                }
                int length = int32(b, p);
                int type = int32(b, p + 4);
                if (length < 0 || length > b.length - p - 12 || !crcMatches(b, p + 4, length)) {
                    return null;
                }
                if (type == IDAT) {
                    data = true;
                    inflater.setInput(b, p + 8, length);
                    while (!inflater.finished() && !inflater.needsInput()) {
                        int n = inflater.inflate(filtered, out, filtered.length - out);
                        out += n;
                        if (out > expected || n == 0 && !inflater.finished() && !inflater.needsInput()) {
                            return null; // more data than rows, or a stream that wants a dictionary
                        }
                    }
                    if (inflater.finished() && inflater.getRemaining() > 0) {
                        return null; // bytes after the stream's end
                    }
                } else if (type == IEND) {
                    // The stream complete (its checksum included), every row there, nothing after IEND.
                    if (!data || length != 0 || p + 12 != b.length || !inflater.finished() || out != expected) {
                        return null;
                    }
                    break;
                } else {
                    return null; // a second IHDR, PLTE, tRNS, gAMA, iCCP, text, ...: ImageIO's to judge
                }
                p += 12 + length;
            }
        } catch (DataFormatException e) {
            return null;
        }
        byte[] pixels = unfilter(filtered, stride, h.height(), h.colours());
        return pixels == null ? null : new Pixels(h.width(), h.height(), h.colours(), pixels);
    }

    /** PNG's five row filters undone (the specification's section 9); null for an unknown filter type. */
    private static byte[] unfilter(byte[] f, int stride, int height, int bpp) {
        byte[] px = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1);
            int filter = f[in++];
            int row = y * stride;
            int up = row - stride;
            switch (filter) {
                case 0 -> System.arraycopy(f, in, px, row, stride);
                case 1 -> {
                    for (int x = 0; x < stride; x++) {
                        int left = x >= bpp ? px[row + x - bpp] : 0;
                        px[row + x] = (byte) (f[in + x] + left);
                    }
                }
                case 2 -> {
                    for (int x = 0; x < stride; x++) {
                        int above = y > 0 ? px[up + x] : 0;
                        px[row + x] = (byte) (f[in + x] + above);
                    }
                }
                case 3 -> {
                    for (int x = 0; x < stride; x++) {
                        int left = x >= bpp ? px[row + x - bpp] & 0xFF : 0;
                        int above = y > 0 ? px[up + x] & 0xFF : 0;
                        px[row + x] = (byte) (f[in + x] + ((left + above) >>> 1));
                    }
                }
                case 4 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? px[row + x - bpp] & 0xFF : 0;
                        int bb = y > 0 ? px[up + x] & 0xFF : 0;
                        int c = x >= bpp && y > 0 ? px[up + x - bpp] & 0xFF : 0;
                        px[row + x] = (byte) (f[in + x] + paeth(a, bb, c));
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return px;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    /** Whether the CRC after a chunk's type and data ({@code length} bytes from {@code at}) is theirs. */
    private static boolean crcMatches(byte[] b, int at, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, at, 4 + length);
        return (int) crc.getValue() == int32(b, at + 4 + length);
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
