package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.argus.common.image.HostileImages.Case;

/**
 * The shared preprocessing against the hostile corpus: every file is either refused with the
 * expected reason and a message, or turned into finite model input, for grey and RGB models.
 */
class HostileInputTest {

    private static final ImagePreprocessor GREY = new ImagePreprocessor(InputSpec.grey(28, 28), ImageLimits.DEFAULT);
    private static final ImagePreprocessor RGB = new ImagePreprocessor(InputSpec.imageNet(32, 32), ImageLimits.DEFAULT);

    static Stream<Case> corpus() {
        return HostileImages.corpus().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyFileIsRefusedWithItsReasonOrPreparedForTheModel(Case c) {
        for (ImagePreprocessor pre : List.of(GREY, RGB)) {
            if (c.refusal().isPresent()) {
                assertThatThrownBy(() -> pre.prepare(c.bytes()))
                        .isInstanceOfSatisfying(ImageRejected.class, e -> {
                            assertThat(e.reason()).isEqualTo(c.refusal().get());
                            assertThat(e.getMessage()).isNotBlank();
                        });
            } else {
                float[] input = pre.prepare(c.bytes());
                assertThat(input).hasSize(pre.spec().size());
                for (float v : input) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
        }
    }

    @Test
    void anExifRotatedPhotoIsTurnedUprightBeforeTheModelSeesIt() {
        byte[] stored = TestImages.encode(HostileImages.scene(96, 64, BufferedImage.TYPE_INT_RGB), "jpg");
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

        for (int orientation : new int[] {5, 6, 7, 8}) {
            BufferedImage upright = decoder.decode(HostileImages.withExifOrientation(stored, orientation)).image();
            assertThat(upright.getWidth()).as("orientation %d", orientation).isEqualTo(64);
            assertThat(upright.getHeight()).isEqualTo(96);
        }
        for (int orientation : new int[] {1, 2, 3, 4}) {
            BufferedImage same = decoder.decode(HostileImages.withExifOrientation(stored, orientation)).image();
            assertThat(same.getWidth()).as("orientation %d", orientation).isEqualTo(96);
        }
    }

    @Test
    void eachOrientationMovesTheStoredCornerWhereTheViewerWouldSeeIt() {
        // Stored 3x2, top-left pixel marked. Where does it end up once upright?
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        stored.getRaster().setSample(0, 0, 0, 255);
        int[][] expectedCorner = {
            null, {0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2},
        };
        for (int orientation = 1; orientation <= 8; orientation++) {
            BufferedImage upright = ExifOrientation.apply(stored, orientation);
            int[] at = expectedCorner[orientation];
            assertThat(upright.getRaster().getSample(at[0], at[1], 0)).as("orientation %d", orientation).isEqualTo(255);
        }
    }

    @Test
    void brokenExifBlocksMeanUprightNeverAFailure() {
        byte[] jpeg = TestImages.encode(HostileImages.scene(32, 16, BufferedImage.TYPE_INT_RGB), "jpg");
        byte[] withTag = HostileImages.withExifOrientation(jpeg, 6);
        for (int cut = 4; cut < 40; cut++) {
            byte[] broken = withTag.clone();
            broken[cut] = (byte) 0xFF; // corrupt one byte inside the EXIF block
            assertThat(ExifOrientation.of(broken)).isBetween(1, 8);
        }
        assertThat(ExifOrientation.of(jpeg)).isEqualTo(ExifOrientation.UPRIGHT);
    }

    @Test
    void aMultiBandSatelliteTiffIsReadFromItsFirstThreeBands() {
        InputSpec raw = new InputSpec(30, 40, 3, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
        float[] input = new ImagePreprocessor(raw, ImageLimits.DEFAULT).prepare(HostileImages.multiBandTiff(40, 30, 8));

        // Pixel (0, 0) holds bands 0, 5000, 10000, ... of 65535: the top 8 bits are 0, 19, 39.
        int plane = 30 * 40;
        assertThat(input[0]).isCloseTo(0f, within(1e-6f));
        assertThat(input[plane]).isCloseTo(19 / 255f, within(1e-6f));
        assertThat(input[2 * plane]).isCloseTo(39 / 255f, within(1e-6f));
    }

    @Test
    void filesAtTheByteLimitAreAcceptedAndOneByteMoreIsRefused() {
        byte[] png = TestImages.encode(HostileImages.scene(32, 32, BufferedImage.TYPE_INT_RGB), "png");
        int limit = png.length + 100;
        // Bytes after IEND are ignored by decoders: pad to exactly the limit.
        byte[] atLimit = HostileImages.concat(png, new byte[100]);
        byte[] overLimit = HostileImages.concat(atLimit, new byte[1]);
        ImagePreprocessor pre = new ImagePreprocessor(InputSpec.grey(28, 28), new ImageLimits(limit, 50_000_000L));

        assertThat(pre.prepare(atLimit)).hasSize(28 * 28);
        assertThatThrownBy(() -> pre.prepare(overLimit)).isInstanceOfSatisfying(ImageRejected.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.TOO_LARGE));
    }
}
