package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;

import org.junit.jupiter.api.Test;

/** Where a JPEG's image data ends, so that a file cut short is seen as such. */
class JpegEndTest {

    private static final byte[] JPEG = TestImages.encode(HostileImages.scene(96, 64, BufferedImage.TYPE_INT_RGB), "jpg");

    @Test
    void aWholeJpegEndsAtItsLastTwoBytes() {
        assertThat(JpegEnd.of(JPEG)).isEqualTo(JPEG.length);
    }

    @Test
    void everyCutBeforeTheEndMarkerIsSeen() {
        for (int length = 2; length < JPEG.length; length++) {
            assertThat(JpegEnd.of(Arrays.copyOf(JPEG, length))).as("cut to %d bytes", length).isEqualTo(-1);
        }
    }

    @Test
    void theEndMarkerOfAnExifThumbnailIsNotTheEndOfTheImage() {
        // An APP1 segment holding a whole small JPEG (SOI ... EOI), as cameras store thumbnails.
        byte[] thumbnail = TestImages.encode(HostileImages.scene(16, 12, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] app1 = HostileImages.concat(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((thumbnail.length + 2) >> 8),
                (byte) (thumbnail.length + 2)}, thumbnail);
        byte[] withThumbnail = HostileImages.concat(Arrays.copyOf(JPEG, 2), app1, Arrays.copyOfRange(JPEG, 2, JPEG.length));
        int cut = withThumbnail.length / 2 + app1.length / 2;

        assertThat(JpegEnd.of(withThumbnail)).isEqualTo(withThumbnail.length);
        assertThat(JpegEnd.of(Arrays.copyOf(withThumbnail, cut))).isEqualTo(-1);
    }

    @Test
    void whatFollowsTheEndMarkerIsNotLookedAt() {
        byte[] trailed = HostileImages.concat(JPEG, HostileImages.random(1000, 4));

        assertThat(JpegEnd.of(trailed)).isEqualTo(JPEG.length);
    }

    @Test
    void aProgressiveJpegWithManyScansEndsAtItsEndMarker() {
        byte[] progressive = TestImages.jpeg(new IIOImage(HostileImages.photo(320, 240, 3), null, null),
                param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));

        assertThat(JpegEnd.of(progressive)).isEqualTo(progressive.length);
        assertThat(JpegEnd.of(Arrays.copyOf(progressive, progressive.length * 2 / 3))).isEqualTo(-1);
    }
}
