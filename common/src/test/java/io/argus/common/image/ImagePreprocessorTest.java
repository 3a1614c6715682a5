package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;

class ImagePreprocessorTest {

    private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

    @Test
    void aPngFromASensorGivesExactlyThePixelsTrainingSaw() throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        ImagePreprocessor prep = new ImagePreprocessor(InputSpec.grey(28, 28), LIMITS);

        for (int i = 0; i < 20; i++) {
            float[] training = prep.prepare(test.image(i));
            float[] serving = prep.prepare(test.png(i));
            assertThat(serving).containsExactly(training);
        }
    }

    @Test
    void greyIsScaledToZeroOneWithoutGammaSurprises() {
        ImagePreprocessor prep = new ImagePreprocessor(InputSpec.grey(4, 4), LIMITS);
        BufferedImage grey = TestImages.solid(4, 4, BufferedImage.TYPE_BYTE_GRAY, new Color(51, 51, 51));

        float[] input = prep.prepare(grey);

        assertThat(input).hasSize(16).containsOnly(new float[] {51 / 255f}, within(1e-6f));
    }

    @Test
    void sixteenBitGreyKeepsItsBrightness() {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, 0x8000);
            }
        }
        float[] input = new ImagePreprocessor(InputSpec.grey(4, 4), LIMITS).prepare(TestImages.encode(img, "png"));

        assertThat(input[0]).isCloseTo(128 / 255f, within(1e-6f));
    }

    @Test
    void colourBecomesLumaForGreyModelsAndChannelsFirstForRgbModels() {
        BufferedImage red = TestImages.solid(2, 2, BufferedImage.TYPE_INT_RGB, new Color(200, 100, 50));

        float[] grey = new ImagePreprocessor(InputSpec.grey(2, 2), LIMITS).prepare(red);
        float[] rgb = new ImagePreprocessor(new InputSpec(2, 2, 3, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0)), LIMITS)
                .prepare(red);

        assertThat(grey[0]).isCloseTo(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255f, within(1e-6f));
        assertThat(rgb).containsExactly(new float[] {200 / 255f, 200 / 255f, 200 / 255f, 200 / 255f,
                100 / 255f, 100 / 255f, 100 / 255f, 100 / 255f,
                50 / 255f, 50 / 255f, 50 / 255f, 50 / 255f}, within(1e-6f));
    }

    @Test
    void normalisesWithTheSpecsMeanAndStd() {
        BufferedImage white = TestImages.solid(3, 3, BufferedImage.TYPE_INT_RGB, Color.WHITE);

        float[] input = new ImagePreprocessor(InputSpec.imageNet(3, 3), LIMITS).prepare(white);

        assertThat(input[0]).isCloseTo((float) ((1 - 0.485) / 0.229), within(1e-5f));
        assertThat(input[9]).isCloseTo((float) ((1 - 0.456) / 0.224), within(1e-5f));
        assertThat(input[18]).isCloseTo((float) ((1 - 0.406) / 0.225), within(1e-5f));
    }

    @Test
    void shrinkingAveragesAreasAndCropsTheCentreToTheTargetAspect() {
        // 8x4: left quarter black, the middle half white, right quarter black. A square target
        // keeps the centre 4x4 (all white) and drops the black sides.
        BufferedImage img = TestImages.solid(8, 4, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK);
        for (int y = 0; y < 4; y++) {
            for (int x = 2; x < 6; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        float[] input = new ImagePreprocessor(InputSpec.grey(2, 2), LIMITS).prepare(img);
        assertThat(input).containsOnly(new float[] {1f}, within(1e-6f));

        // Stripes of 0 and 255 shrunk by 2 average to the middle grey, with no aliasing.
        BufferedImage stripes = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                stripes.getRaster().setSample(x, y, 0, x % 2 == 0 ? 0 : 255);
            }
        }
        float[] half = new ImagePreprocessor(InputSpec.grey(4, 4), LIMITS).prepare(stripes);
        for (float v : half) {
            assertThat(v).isCloseTo(0.5f, within(1e-6f));
        }
    }

    @Test
    void enlargingInterpolatesAndKeepsFlatAreasFlat() {
        BufferedImage small = TestImages.solid(3, 3, BufferedImage.TYPE_BYTE_GRAY, new Color(100, 100, 100));

        float[] input = new ImagePreprocessor(InputSpec.grey(28, 28), LIMITS).prepare(small);

        for (float v : input) {
            assertThat(v).isCloseTo(100 / 255f, within(1e-5f));
        }
    }

    @Test
    void transparentPixelsAreCompositedOverBlack() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FFFFFF);

        float[] input = new ImagePreprocessor(InputSpec.grey(1, 1), LIMITS).prepare(TestImages.encode(img, "png"));

        assertThat(input[0]).isCloseTo(128 / 255f, within(1e-6f));
    }

    @Test
    void palettedGifsAreRead() {
        byte[] gif = TestImages.encode(TestImages.solid(5, 5, BufferedImage.TYPE_BYTE_INDEXED, Color.WHITE), "gif");

        float[] input = new ImagePreprocessor(InputSpec.grey(5, 5), LIMITS).prepare(gif);

        assertThat(input).containsOnly(new float[] {1f}, within(1e-6f));
    }
}
