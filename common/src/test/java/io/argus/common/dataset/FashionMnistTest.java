package io.argus.common.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FashionMnistTest {

    @Test
    void theBundledSubsetHasBothSplitsWithEveryClass() throws Exception {
        FashionMnist.Data data = FashionMnist.loadSubset();

        assertThat(data.train().count()).isEqualTo(6000);
        assertThat(data.test().count()).isEqualTo(1000);
        assertThat(data.train().rows()).isEqualTo(28);
        assertThat(data.test().labels()).contains(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(java.util.Arrays.stream(data.test().labels()).allMatch(l -> l >= 0 && l < 10)).isTrue();
        assertThat(FashionMnist.LABELS).hasSize(10);
    }

    @Test
    void imagesBecomePngFilesWithTheSamePixels() throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();

        byte[] png = test.png(0);
        var decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));

        assertThat(png[1]).isEqualTo((byte) 'P');
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(decoded.getRaster().getSample(x, y, 0)).isEqualTo(test.pixels()[y * 28 + x] & 0xFF);
            }
        }
    }
}
