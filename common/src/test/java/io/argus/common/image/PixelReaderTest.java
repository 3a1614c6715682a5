package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Byte images (what ImageIO's JPEG and PNG readers return) are read in place, without widening
 * every sample: the pixels must be those of the image sample by sample, for whole images and for
 * sub-images, whose rasters share their parent's array from an offset.
 */
class PixelReaderTest {

    @Test
    void aColourByteImageGivesItsRedGreenAndBlueSamples() {
        BufferedImage image = noise(BufferedImage.TYPE_3BYTE_BGR, 37, 23);

        assertThat(PixelReader.read(image, 3)).containsExactly(expected(image, 3));
    }

    @Test
    void aSubImageGivesItsOwnPixelsNotItsParentsCorner() {
        BufferedImage sub = noise(BufferedImage.TYPE_3BYTE_BGR, 40, 30).getSubimage(7, 5, 19, 13);

        assertThat(PixelReader.read(sub, 3)).containsExactly(expected(sub, 3));
    }

    @Test
    void aGreySubImageGivesItsOwnPixelsRepeatedForAColourModel() {
        BufferedImage sub = noise(BufferedImage.TYPE_BYTE_GRAY, 40, 30).getSubimage(3, 11, 21, 9);

        assertThat(PixelReader.read(sub, 1)).containsExactly(expected(sub, 1));
        assertThat(PixelReader.read(sub, 3)).containsExactly(expected(sub, 3));
    }

    @Test
    void aColourByteImageBecomesLumaForAGreyModel() {
        BufferedImage image = noise(BufferedImage.TYPE_3BYTE_BGR, 16, 9).getSubimage(2, 1, 11, 7);

        assertThat(PixelReader.read(image, 1)).containsExactly(expected(image, 1));
    }

    /** The image's samples one by one, as the model's channels. */
    private static byte[] expected(BufferedImage image, int channels) {
        Raster r = image.getRaster();
        int colours = r.getNumBands();
        byte[] out = new byte[image.getWidth() * image.getHeight() * channels];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int o = (y * image.getWidth() + x) * channels;
                int red = r.getSample(r.getMinX() + x, r.getMinY() + y, 0);
                int green = colours == 3 ? r.getSample(r.getMinX() + x, r.getMinY() + y, 1) : red;
                int blue = colours == 3 ? r.getSample(r.getMinX() + x, r.getMinY() + y, 2) : red;
                if (channels == 1) {
                    out[o] = (byte) (colours == 1 ? red : Math.round(0.299 * red + 0.587 * green + 0.114 * blue));
                } else {
                    out[o] = (byte) red;
                    out[o + 1] = (byte) green;
                    out[o + 2] = (byte) blue;
                }
            }
        }
        return out;
    }

    private static BufferedImage noise(int type, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < image.getRaster().getNumBands(); b++) {
                    image.getRaster().setSample(x, y, b, random.nextInt(256));
                }
            }
        }
        return image;
    }
}
