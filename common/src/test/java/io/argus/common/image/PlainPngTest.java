package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;

/**
 * Plain PNGs skip ImageIO ({@link PlainPng}), and nothing else changes: the model input is the
 * one ImageIO's decode gives, bit for bit, and every file the fast path does not take, or that is
 * broken, gets ImageIO's verdict with its reason and its words.
 */
class PlainPngTest {

    private static final List<InputSpec> SPECS = List.of(InputSpec.grey(28, 28), InputSpec.imageNet(32, 32));

    @Test
    void theBundledImagesTakeTheFastPathAndGiveExactlyImageIosInput() throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            pngs.add(test.png(i));
        }

        int fast = sameInputBothWays(pngs);

        assertThat(fast).isEqualTo(pngs.size()).isGreaterThan(500);
    }

    @Test
    void rgbImagesOfOtherSizesAndEveryRowFilterGiveExactlyImageIosInput() {
        Random random = new Random(18);
        List<byte[]> pngs = new ArrayList<>();
        for (int[] size : new int[][] {{28, 28}, {40, 30}, {17, 61}, {96, 64}, {1, 1}, {55, 55}}) {
            pngs.add(TestImages.encode(HostileImages.scene(size[0], size[1], BufferedImage.TYPE_INT_RGB), "png"));
            pngs.add(TestImages.encode(HostileImages.scene(size[0], size[1], BufferedImage.TYPE_BYTE_GRAY), "png"));
            pngs.add(TestImages.encode(HostileImages.photo(size[0], size[1], random.nextLong()), "png"));
            for (int colours : new int[] {1, 3}) {
                byte[] samples = HostileImages.random(size[0] * size[1] * colours, random.nextLong());
                // Each of PNG's five row filters in turn, the data split over several IDAT chunks.
                pngs.add(png(size[0], size[1], colours, samples, y -> y % 5, 7));
                pngs.add(png(size[0], size[1], colours, samples, y -> 4 - y % 5, 1 << 20));
            }
        }

        assertThat(sameInputBothWays(pngs)).isEqualTo(pngs.size());
    }

    @Test
    void theHostileCorpusGetsTheSameVerdictWithAndWithoutTheFastPath() {
        int fast = 0;
        for (HostileImages.Case c : HostileImages.corpus()) {
            fast += takesFastPath(c.bytes()) ? 1 : 0;
            for (InputSpec spec : SPECS) {
                assertThat(verdict(new ImagePreprocessor(spec, ImageLimits.DEFAULT), c.bytes()))
                        .as(c.name()).isEqualTo(verdict(ImagePreprocessor.imageIoOnly(spec, ImageLimits.DEFAULT), c.bytes()));
            }
        }
        assertThat(fast).as("the corpus' plain RGB PNG").isEqualTo(1);
    }

    @Test
    void brokenPlainPngsAreRefusedAsImageIoRefusesThem() {
        byte[] seed = png(20, 12, 1, HostileImages.random(240, 5), y -> y % 5, 64);
        Random random = new Random(20261130L);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] broken = seed.clone();
            switch (random.nextInt(4)) {
                case 0 -> broken[random.nextInt(broken.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> broken = Arrays.copyOf(broken, 8 + random.nextInt(broken.length - 8));
                case 2 -> broken = HostileImages.concat(broken, HostileImages.random(1 + random.nextInt(20), i));
                default -> broken[8 + random.nextInt(40)] = (byte) random.nextInt(256);
            }
            for (InputSpec spec : SPECS) {
                String fast = verdict(new ImagePreprocessor(spec, ImageLimits.DEFAULT), broken);
                assertThat(fast).as("case %d", i).isEqualTo(verdict(ImagePreprocessor.imageIoOnly(spec,
                        ImageLimits.DEFAULT), broken));
                refused += fast.startsWith("refused") ? 1 : 0;
            }
        }
        assertThat(refused).as("the damage is meant to break most files").isGreaterThan(2000);
    }

    @Test
    void aPlainPngBeyondTheLimitsIsLeftToImageIoAndRefusedByIt() {
        byte[] png = TestImages.encode(HostileImages.scene(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png");
        ImageLimits small = new ImageLimits(1 << 20, 64 * 63);

        ImagePreprocessor prep = new ImagePreprocessor(InputSpec.grey(28, 28), small);

        assertThat(prep.decoder().plainPng(png, 28, 28)).isNull();
        assertThat(verdict(prep, png)).startsWith("refused TOO_MANY_PIXELS")
                .isEqualTo(verdict(ImagePreprocessor.imageIoOnly(InputSpec.grey(28, 28), small), png));
    }

    /** Each file prepared with the fast path and with ImageIO only, for a grey and an RGB model; how many took the fast path. */
    private static int sameInputBothWays(List<byte[]> pngs) {
        int fast = 0;
        for (byte[] png : pngs) {
            fast += takesFastPath(png) ? 1 : 0;
            for (InputSpec spec : SPECS) {
                float[] reference = ImagePreprocessor.imageIoOnly(spec, ImageLimits.DEFAULT).prepare(png);
                assertThat(new ImagePreprocessor(spec, ImageLimits.DEFAULT).prepare(png)).containsExactly(reference);
            }
        }
        return fast;
    }

    private static boolean takesFastPath(byte[] file) {
        PlainPng.Header h = PlainPng.header(file);
        return h != null && PlainPng.decode(file, h) != null;
    }

    /** What preparing the file came to: the input's bits, or the refusal's class, reason and message. */
    private static String verdict(ImagePreprocessor prep, byte[] file) {
        try {
            float[] x = prep.prepare(file);
            StringBuilder s = new StringBuilder("prepared ");
            for (float v : x) {
                s.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(',');
            }
            return s.toString();
        } catch (ImageRejected e) {
            return "refused " + e.reason() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "failed " + e;
        }
    }

    /** A PNG of 8-bit samples whose row {@code y} uses filter {@code filter(y)}, its data in IDATs of {@code chunk} bytes. */
    static byte[] png(int w, int h, int colours, byte[] samples, java.util.function.IntUnaryOperator filter, int chunk) {
        int stride = w * colours;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            int type = filter.applyAsInt(y);
            raw.write(type);
            for (int x = 0; x < stride; x++) {
                int v = samples[y * stride + x] & 0xFF;
                int a = x >= colours ? samples[y * stride + x - colours] & 0xFF : 0;
                int b = y > 0 ? samples[(y - 1) * stride + x] & 0xFF : 0;
                int c = x >= colours && y > 0 ? samples[(y - 1) * stride + x - colours] & 0xFF : 0;
                int predicted = switch (type) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    default -> {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                };
                raw.write((v - predicted) & 0xFF);
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw.toByteArray());
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            z.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] data = z.toByteArray();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        TestImages.chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) (colours == 1 ? 0 : 2))
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        for (int from = 0; from < data.length; from += chunk) {
            TestImages.chunk(png, "IDAT", Arrays.copyOfRange(data, from, Math.min(data.length, from + chunk)));
        }
        TestImages.chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }
}
