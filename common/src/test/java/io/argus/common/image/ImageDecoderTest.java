package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

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

    private void assertRejected(byte[] bytes, RejectReason reason) {
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(ImageRejected.class)
                .extracting(e -> ((ImageRejected) e).reason()).isEqualTo(reason);
    }
}
