package io.argus.common.image;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * What sensors in the field really send: broken, hostile and unusual image files, each with what
 * Argus must do with it. Shared by the tests of the preprocessing, ingest and inference (as
 * common's test jar), so every path is held to the same corpus.
 */
public final class HostileImages {

    /**
     * One file and its expected fate.
     *
     * @param refusal empty: the image is valid (perhaps unusual) and must be classified
     */
    public record Case(String name, byte[] bytes, String contentType, Optional<RejectReason> refusal) {

        static Case refused(String name, byte[] bytes, String contentType, RejectReason reason) {
            return new Case(name, bytes, contentType, Optional.of(reason));
        }

        static Case classified(String name, byte[] bytes, String contentType) {
            return new Case(name, bytes, contentType, Optional.empty());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private HostileImages() {
    }

    /** The corpus, for the default {@link ImageLimits}. */
    public static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        byte[] jpeg = TestImages.encode(scene(96, 64, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] png = TestImages.encode(scene(96, 64, BufferedImage.TYPE_INT_RGB), "png");
        byte[] photo = photoJpeg(640, 480, 11);

        cases.add(Case.refused("empty body", new byte[0], "image/png", RejectReason.EMPTY));
        cases.add(Case.refused("random bytes", random(4096, 7), "image/jpeg", RejectReason.UNSUPPORTED_FORMAT));
        cases.add(Case.refused("text claiming to be a JPEG", "<html>not an image</html>".getBytes(), "image/jpeg",
                RejectReason.UNSUPPORTED_FORMAT));
        cases.add(Case.refused("truncated JPEG", Arrays.copyOf(jpeg, jpeg.length / 3), "image/jpeg",
                RejectReason.CORRUPT_IMAGE));
        cases.add(Case.refused("truncated PNG", Arrays.copyOf(png, png.length / 2), "image/png",
                RejectReason.CORRUPT_IMAGE));
        // A camera's upload cut off mid-transfer: headers whole, the scan data stops halfway.
        cases.add(Case.refused("photo JPEG cut to half its length", Arrays.copyOf(photo, photo.length / 2),
                "image/jpeg", RejectReason.CORRUPT_IMAGE));
        cases.add(Case.refused("photo JPEG cut to a third of its length", Arrays.copyOf(photo, photo.length / 3),
                "image/jpeg", RejectReason.CORRUPT_IMAGE));
        cases.add(Case.refused("JPEG cut after its first marker", Arrays.copyOf(jpeg, 24), "image/jpeg",
                RejectReason.CORRUPT_IMAGE));
        cases.add(Case.refused("PNG declaring 100000x100000 pixels", TestImages.pngHeaderOnly(100_000, 100_000),
                "image/png", RejectReason.TOO_MANY_PIXELS));
        cases.add(Case.refused("JPEG bomb: 2 KB declaring 65000x65000 pixels", jpegDeclaring(jpeg, 65_000, 65_000),
                "image/jpeg", RejectReason.TOO_MANY_PIXELS));

        cases.add(Case.classified("RGB JPEG", jpeg, "image/jpeg"));
        cases.add(Case.classified("photo JPEG (640x480, quality 85)", photo, "image/jpeg"));
        cases.add(Case.classified("CMYK JPEG (Adobe marker)", cmykJpeg(48, 32), "image/jpeg"));
        cases.add(Case.classified("RGB PNG", png, "image/png"));
        cases.add(Case.classified("greyscale JPEG", TestImages.encode(scene(96, 64, BufferedImage.TYPE_BYTE_GRAY), "jpg"),
                "image/jpeg"));
        cases.add(Case.classified("16-bit greyscale PNG", TestImages.encode(scene(64, 64, BufferedImage.TYPE_USHORT_GRAY),
                "png"), "image/png"));
        cases.add(Case.classified("PNG with alpha", TestImages.encode(scene(64, 64, BufferedImage.TYPE_INT_ARGB), "png"),
                "image/png"));
        cases.add(Case.classified("paletted GIF", TestImages.encode(scene(64, 64, BufferedImage.TYPE_BYTE_INDEXED), "gif"),
                "image/gif"));
        cases.add(Case.classified("animated GIF (3 frames)", animatedGif(48, 48, 3), "image/gif"));
        cases.add(Case.classified("BMP", TestImages.encode(scene(64, 48, BufferedImage.TYPE_3BYTE_BGR), "bmp"),
                "image/bmp"));
        cases.add(Case.classified("RGB TIFF", TestImages.encode(scene(64, 48, BufferedImage.TYPE_INT_RGB), "tiff"),
                "image/tiff"));
        cases.add(Case.classified("4-band 16-bit TIFF", multiBandTiff(40, 30, 4), "image/tiff"));
        cases.add(Case.classified("8-band 16-bit TIFF (satellite)", multiBandTiff(40, 30, 8), "image/tiff"));
        cases.add(Case.classified("EXIF-rotated JPEG (orientation 6)", withExifOrientation(jpeg, 6), "image/jpeg"));
        cases.add(Case.classified("JPEG with trailing junk", concat(jpeg, random(300, 3)), "image/jpeg"));
        return cases;
    }

    /** A picture with structure (a gradient and a block), so that turning or cropping it shows. */
    public static BufferedImage scene(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(20, 40, 200), w, h, new Color(240, 200, 30)));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillRect(w / 8, h / 8, w / 3, h / 4);
        g.dispose();
        return img;
    }

    /**
     * A photo-like JPEG as a camera sends it: sky and ground gradients, shapes and sensor noise,
     * encoded at quality 85, so that its scan data is most of the file (as in real photos, unlike
     * a tiny flat test image, whose cut tends to land in the headers).
     */
    public static byte[] photoJpeg(int w, int h, long seed) {
        return TestImages.jpeg(photo(w, h, seed), 0.85f);
    }

    /** The picture behind {@link #photoJpeg}. */
    public static BufferedImage photo(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int horizon = h * 3 / 5;
        g.setPaint(new GradientPaint(0, 0, new Color(90, 140, 220), 0, horizon, new Color(230, 235, 245)));
        g.fillRect(0, 0, w, horizon);
        g.setPaint(new GradientPaint(0, horizon, new Color(70, 110, 40), 0, h, new Color(40, 60, 20)));
        g.fillRect(0, horizon, w, h - horizon);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 100 + random.nextInt(156)));
            int x = random.nextInt(w);
            int y = random.nextInt(h);
            int size = 10 + random.nextInt(Math.max(1, w / 5));
            if (random.nextBoolean()) {
                g.fillOval(x, y, size, size * 2 / 3);
            } else {
                g.fillRect(x, y, size, size / 2);
            }
        }
        g.dispose();
        int[] pixels = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pixels.length; i++) {
            int noise = (int) Math.round(random.nextGaussian() * 6);
            int p = pixels[i];
            pixels[i] = clamp((p >> 16 & 0xFF) + noise) << 16 | clamp((p >> 8 & 0xFF) + noise) << 8
                    | clamp((p & 0xFF) + noise);
        }
        img.setRGB(0, 0, w, h, pixels, 0, w);
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A copy of a baseline JPEG whose frame header (SOF0) declares other dimensions. */
    public static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int p = 2; p + 9 < b.length; ) {
            int marker = b[p + 1] & 0xFF;
            int length = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                b[p + 5] = (byte) (height >> 8);
                b[p + 6] = (byte) height;
                b[p + 7] = (byte) (width >> 8);
                b[p + 8] = (byte) width;
                return b;
            }
            p += 2 + length;
        }
        throw new IllegalArgumentException("no SOF marker");
    }

    /** A JPEG with the orientation tag in an EXIF block right after SOI. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = concat("Exif\0\0".getBytes(), tiff.array());
        ByteBuffer app1 = ByteBuffer.allocate(4 + exif.length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + exif.length)).put(exif);
        return concat(Arrays.copyOf(jpeg, 2), app1.array(), Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /**
     * An uncompressed little-endian TIFF with {@code bands} 16-bit samples per pixel, black-is-zero
     * and the extra bands unspecified: how multispectral satellite products are commonly stored.
     */
    public static byte[] multiBandTiff(int w, int h, int bands) {
        int entries = 10;
        int ifd = 8;
        int bitsAt = ifd + 2 + entries * 12 + 4;
        int extraAt = bitsAt + 2 * bands;
        int dataAt = extraAt + 2 * bands;
        int dataLength = w * h * bands * 2;
        ByteBuffer b = ByteBuffer.allocate(dataAt + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        tiffEntry(b, 256, 3, 1, w);
        tiffEntry(b, 257, 3, 1, h);
        tiffEntry(b, 258, 3, bands, bitsAt);
        tiffEntry(b, 259, 3, 1, 1); // no compression
        tiffEntry(b, 262, 3, 1, 1); // black is zero
        tiffEntry(b, 273, 4, 1, dataAt);
        tiffEntry(b, 277, 3, 1, bands);
        tiffEntry(b, 278, 3, 1, h);
        tiffEntry(b, 279, 4, 1, dataLength);
        tiffEntry(b, 338, 3, bands - 1, extraAt); // extra samples: unspecified
        b.putInt(0);
        for (int i = 0; i < bands; i++) {
            b.putShort((short) 16);
        }
        for (int i = 0; i < bands; i++) {
            b.putShort((short) 0);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int band = 0; band < bands; band++) {
                    b.putShort((short) ((x * 1500 + y * 700 + band * 5000) & 0xFFFF));
                }
            }
        }
        return b.array();
    }

    private static void tiffEntry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else if (type == 3 && count == 2) {
            throw new IllegalArgumentException("two shorts would be stored inline");
        } else {
            b.putInt(value);
        }
    }

    /** A CMYK JPEG as print workflows produce it (ImageIO reads these since JDK 9; converted to sRGB). */
    public static byte[] cmykJpeg(int w, int h) {
        WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 5, y * 7, 100, 30});
            }
        }
        // The Adobe segment (transform 0: CMYK) is how Photoshop and print tools mark such files.
        byte[] jpeg = TestImages.jpeg(new IIOImage(raster, null, null), param -> { });
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return concat(Arrays.copyOf(jpeg, 2), adobe, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** A GIF of {@code frames} frames of different colours. */
    public static byte[] animatedGif(int w, int h, int frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = TestImages.solid(w, h, BufferedImage.TYPE_INT_RGB,
                        new Color(60 * i % 256, 200 - 50 * i, 90));
                ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
                IIOMetadata meta = writer.getDefaultImageMetadata(type, null);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
