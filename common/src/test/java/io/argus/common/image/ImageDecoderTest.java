package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(1_000_000, 4_000_000));

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp", "tiff"})
    void decodesEveryAcceptedFormatAndSniffsItFromTheBytes(String format) {
        byte[] file = TestImages.encode(TestImages.solid(40, 30, BufferedImage.TYPE_3BYTE_BGR, Color.ORANGE), format);

        DecodedImage decoded = decoder.decode(file);

        assertThat(decoded.format().name()).isEqualToIgnoringCase(format);
        assertThat(decoded.width()).isEqualTo(40);
        assertThat(decoded.image().getHeight()).isEqualTo(30);
    }

    @Test
    void refusesEmptyInput() {
        assertRejected(new byte[0], RejectReason.EMPTY);
    }

    @Test
    void refusesFilesOverTheByteLimitBeforeLookingAtThem() {
        byte[] big = new byte[1_000_001];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertRejected(big, RejectReason.TOO_LARGE);
    }

    @Test
    void acceptsAFileExactlyAtTheByteLimit() {
        byte[] png = TestImages.encode(TestImages.solid(8, 8, BufferedImage.TYPE_BYTE_GRAY, Color.GRAY), "png");
        ImageDecoder exact = new ImageDecoder(new ImageLimits(png.length, 100));
        assertThat(exact.decode(png).width()).isEqualTo(8);
        ImageDecoder oneLess = new ImageDecoder(new ImageLimits(png.length - 1, 100));
        assertThatThrownBy(() -> oneLess.decode(png)).isInstanceOf(ImageRejected.class)
                .extracting(e -> ((ImageRejected) e).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void refusesBytesThatAreNoImageFormat() {
        byte[] random = new byte[500];
        new Random(1).nextBytes(random);
        random[0] = 'x';
        assertRejected(random, RejectReason.UNSUPPORTED_FORMAT);
        assertRejected("{\"not\":\"an image\"}".getBytes(), RejectReason.UNSUPPORTED_FORMAT);
    }

    @Test
    void refusesAPixelBombFromItsHeaderWithoutDecoding() {
        byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);

        assertThatThrownBy(() -> decoder.probe(bomb)).isInstanceOf(ImageRejected.class)
                .hasMessageContaining("100000x100000")
                .extracting(e -> ((ImageRejected) e).reason()).isEqualTo(RejectReason.TOO_MANY_PIXELS);
        assertRejected(bomb, RejectReason.TOO_MANY_PIXELS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void refusesTruncatedFilesAsCorrupt(String format) {
        byte[] whole = TestImages.encode(TestImages.solid(64, 64, BufferedImage.TYPE_3BYTE_BGR, Color.BLUE), format);
        byte[] truncated = Arrays.copyOf(whole, whole.length / 3);

        assertRejected(truncated, RejectReason.CORRUPT_IMAGE);
    }

    /** A Full HD photo, the kind a camera uploads; its scan data is nearly all of the file. */
    private static final byte[] PHOTO = HostileImages.photoJpeg(1920, 1080, 5);

    @ParameterizedTest(name = "cut to {0} of its length")
    @ValueSource(doubles = {0.5, 1.0 / 3, 0.9, 0.999})
    void aPhotoCutAnywhereInItsScanDataIsRefusedAsCorrupt(double fraction) {
        byte[] cut = Arrays.copyOf(PHOTO, (int) (PHOTO.length * fraction));

        assertRejected(cut, RejectReason.CORRUPT_IMAGE);
        assertThatThrownBy(() -> decoder.decode(cut, 224, 224)).as("subsampled, as inference decodes")
                .isInstanceOfSatisfying(ImageRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE);
                    assertThat(e.getMessage()).contains("truncated");
                });
    }

    @Test
    void aPhotoWithoutItsEndMarkerIsRefusedEvenIfOnlyThoseTwoBytesAreMissing() {
        assertRejected(Arrays.copyOf(PHOTO, PHOTO.length - 2), RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void bytesAfterTheEndMarkerAreIgnoredAsPhonesAppendVideosAndTrailers() {
        // A motion photo: the JPEG, then an MP4 (whose bytes may contain anything, FF D9 included).
        byte[] trailer = HostileImages.concat("\0\0\0\u0018ftypmp42".getBytes(), HostileImages.random(5000, 9),
                new byte[] {(byte) 0xFF, (byte) 0xD9, 0, 0});

        assertThat(decoder.decode(HostileImages.concat(PHOTO, trailer)).image().getWidth()).isEqualTo(1920);
    }

    @Test
    void decodesLargeImagesSubsampledButNeverBelowTwiceTheTarget() {
        byte[] jpeg = TestImages.encode(TestImages.solid(1920, 1080, BufferedImage.TYPE_3BYTE_BGR, Color.GREEN), "jpeg");

        DecodedImage decoded = decoder.decode(jpeg, 224, 224);

        assertThat(decoded.width()).isEqualTo(1920);
        assertThat(decoded.image().getWidth()).isLessThan(1920).isGreaterThanOrEqualTo(2 * 224);
        assertThat(decoded.image().getHeight()).isGreaterThanOrEqualTo(2 * 224);
    }

    /** Limits that let a 49-megapixel image through. */
    private static final ImageLimits LARGE = new ImageLimits(10_000_000, 50_000_000);

    /** A 7000x7000 16-bit RGBA PNG: about 390 KB, 392 MB decoded in full. Made once, when first used. */
    private static final class LargePng {
        static final byte[] BYTES = TestImages.flatPng16(7000, 7000);
    }

    private static byte[] largePng() {
        return LargePng.BYTES;
    }

    @Test
    void verifyingALargeImageReadsAllOfItButKeepsAtMostAMegapixel() {
        DecodedImage verified = new ImageDecoder(LARGE).verify(largePng());

        assertThat(verified.width()).isEqualTo(7000);
        assertThat((long) verified.image().getWidth() * verified.image().getHeight())
                .isLessThanOrEqualTo(Subsampling.VERIFY_PIXELS);
    }

    @Test
    void verifyingALargePngCutShortStillSeesTheCut() {
        byte[] png = largePng();

        assertThatThrownBy(() -> new ImageDecoder(LARGE).verify(Arrays.copyOf(png, png.length * 9 / 10)))
                .isInstanceOfSatisfying(ImageRejected.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bmp", "tiff"})
    void uncompressedBmpAndTiffAreVerifiedInFullBecauseTheirReadersSkipRowsTheyDoNotKeep(String format) {
        // Subsampled, ImageIO reads neither the cut-off rows of a BMP nor the last rows of a TIFF.
        byte[] whole = TestImages.encode(HostileImages.scene(1200, 900, BufferedImage.TYPE_3BYTE_BGR), format);
        ImageDecoder verifier = new ImageDecoder(LARGE);

        assertThat(verifier.verify(whole).image().getWidth()).isEqualTo(1200);
        for (double kept : new double[] {0.5, 0.999}) {
            assertThatThrownBy(() -> verifier.verify(Arrays.copyOf(whole, (int) (whole.length * kept))))
                    .as("cut to %s", kept).isInstanceOfSatisfying(ImageRejected.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE));
        }
    }

    @Test
    void aCompressedTiffIsVerifiedSubsampledLikeAPng() throws Exception {
        BufferedImage scene = HostileImages.scene(1200, 900, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType("Deflate");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(scene, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] tiff = out.toByteArray();
        ImageDecoder verifier = new ImageDecoder(LARGE);

        assertThat(verifier.verify(tiff).image().getWidth()).isEqualTo(600);
        assertThatThrownBy(() -> verifier.verify(Arrays.copyOf(tiff, tiff.length * 99 / 100)))
                .isInstanceOfSatisfying(ImageRejected.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE));
    }

    @Test
    void whenTheBudgetIsTakenADecodeIsBusyWithARetryAfterAndTheSameImageDecodesOnceItIsFree() {
        DecodeMemory memory = new DecodeMemory(64L << 20, Duration.ofMillis(20), Duration.ofSeconds(4));
        ImageDecoder decoder = new ImageDecoder(LARGE, memory);
        byte[] png = TestImages.encode(HostileImages.scene(640, 480, BufferedImage.TYPE_INT_RGB), "png");

        try (DecodeMemory.Claim everything = memory.claim(memory.budgetBytes())) {
            assertThatThrownBy(() -> decoder.verify(png)).isInstanceOfSatisfying(DecoderBusy.class,
                    e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(4)));
        }
        assertThat(decoder.verify(png).width()).isEqualTo(640);
        assertThat(memory.availableBytes()).as("every claim given back").isEqualTo(memory.budgetBytes());
    }

    @Test
    void anImageWhoseDecodeAloneNeedsMoreThanTheWholeBudgetIsRefusedNotAskedToRetryForever() {
        DecodeMemory memory = new DecodeMemory(4L << 20, Duration.ofMillis(20), Duration.ofSeconds(4));
        ImageDecoder decoder = new ImageDecoder(LARGE, memory);
        byte[] png = TestImages.encode(HostileImages.scene(2000, 2000, BufferedImage.TYPE_INT_RGB), "png");

        assertThatThrownBy(() -> decoder.decode(png)).as("in full: about 12 MB")
                .isInstanceOfSatisfying(ImageRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.TOO_MANY_PIXELS);
                    assertThat(e.getMessage()).contains("argus.images.decode-memory");
                });
        assertThat(decoder.verify(png).width()).as("verified: a megapixel, 3 MB").isEqualTo(2000);
    }

    private void assertRejected(byte[] bytes, RejectReason reason) {
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(ImageRejected.class)
                .extracting(e -> ((ImageRejected) e).reason()).isEqualTo(reason);
    }
}
