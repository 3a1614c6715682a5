package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;

/** The memory a decode will take, from the header alone. */
class DecodeCostTest {

    @Test
    void a16BitRgbaPngTakesEightBytesAPixelAndSubsamplingDividesThat() throws IOException {
        byte[] png = TestImages.flatPng16(7000, 7000);

        // Full: 7000 x 7000 x 8 bytes, plus two rows of 7000 x 8 bytes.
        assertThat(cost(ImageFormat.PNG, png, 1)).isEqualTo(392_000_000L + 112_000L);
        // Every 7th pixel of every 7th row: 1000 x 1000 x 8 bytes; the rows read are still whole.
        assertThat(cost(ImageFormat.PNG, png, 7)).isEqualTo(8_000_000L + 112_000L);
    }

    @Test
    void aJpegCountsItsPixelsTwiceForTheCopyThatTurnsItUpright() throws IOException {
        byte[] jpeg = TestImages.encode(HostileImages.scene(400, 300, BufferedImage.TYPE_INT_RGB), "jpg");

        assertThat(cost(ImageFormat.JPEG, jpeg, 1)).isEqualTo(2 * 400 * 300 * 3L + 2 * 400 * 3L);
    }

    @Test
    void aTiffCountsOneStripOfWorkingMemory() throws IOException {
        byte[] tiff = HostileImages.multiBandTiff(40, 30, 8); // one strip of all 30 rows, 16 bytes a pixel

        assertThat(cost(ImageFormat.TIFF, tiff, 1)).isEqualTo(2 * 40 * 30 * 16L);
    }

    private static long cost(ImageFormat format, byte[] bytes, int step) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName(format.imageIoName()).next();
            try {
                reader.setInput(in, true, true);
                return DecodeCost.bytes(format, reader, reader.getWidth(0), reader.getHeight(0), step);
            } finally {
                reader.dispose();
            }
        }
    }
}
