package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz run over the shared preprocessing: valid images of every format, mutated at
 * random (fixed seed, fixed number of cases). Each case must end in model input of finite floats
 * or an {@link ImageRejected}; any other exception, or an error, fails the run with the case.
 */
class DecoderFuzzTest {

    private static final int CASES = 3000;
    private static final long SEED = 20261123L;

    @Test
    void mutatedImagesAreEitherPreparedOrRefusedNeverAnythingElse() {
        List<byte[]> seeds = List.of(
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_INT_RGB), "jpg"),
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_INT_RGB), "png"),
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_USHORT_GRAY), "png"),
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_BYTE_INDEXED), "gif"),
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_3BYTE_BGR), "bmp"),
                TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_INT_RGB), "tiff"),
                HostileImages.multiBandTiff(20, 10, 5),
                HostileImages.withExifOrientation(
                        TestImages.encode(HostileImages.scene(40, 30, BufferedImage.TYPE_INT_RGB), "jpg"), 6));
        // Small limits keep a mutated header from asking for gigabytes within the limits.
        ImagePreprocessor pre = new ImagePreprocessor(InputSpec.imageNet(32, 32), new ImageLimits(1 << 20, 4_000_000L));
        Random random = new Random(SEED);
        Map<RejectReason, Integer> refused = new EnumMap<>(RejectReason.class);
        int prepared = 0;
        long slowestNanos = 0;

        for (int i = 0; i < CASES; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            long start = System.nanoTime();
            try {
                float[] x = pre.prepare(input);
                for (float v : x) {
                    if (!Float.isFinite(v)) {
                        fail("case %d gave a non-finite input value", i);
                    }
                }
                prepared++;
            } catch (ImageRejected e) {
                refused.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("fuzz case " + i + " (seed " + SEED + ") escaped as " + e, e);
            }
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
        }

        System.out.printf("decoder fuzz: %d cases, %d prepared, refused %s, slowest %.1f ms%n", CASES, prepared,
                refused, slowestNanos / 1e6);
        assertThat(prepared + refused.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        // The mutations are meant to hit both outcomes; if not, they test too little.
        assertThat(prepared).isPositive();
        assertThat(refused).containsKey(RejectReason.CORRUPT_IMAGE);
    }

    /** One to three random edits: flipped bytes, a cut, a duplicated or deleted stretch, a header field. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 4; e++) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    for (int k = 0; k < 1 + random.nextInt(8); k++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> b = java.util.Arrays.copyOf(b, 1 + random.nextInt(b.length - 1));
                case 2 -> {
                    int from = random.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + random.nextInt(64));
                    byte[] copy = java.util.Arrays.copyOfRange(b, from, from + len);
                    int at = random.nextInt(b.length);
                    b = HostileImages.concat(java.util.Arrays.copyOf(b, at), copy,
                            java.util.Arrays.copyOfRange(b, at, b.length));
                }
                case 3 -> {
                    int from = random.nextInt(b.length - 1);
                    int len = Math.min(b.length - from - 1, 1 + random.nextInt(32));
                    b = HostileImages.concat(java.util.Arrays.copyOf(b, from),
                            java.util.Arrays.copyOfRange(b, from + len, b.length));
                }
                default -> {
                    // Headers sit in the first bytes: sizes, depths, counts.
                    int at = random.nextInt(Math.min(b.length, 64));
                    b[at] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
                }
            }
        }
        return b;
    }
}
