package io.argus.common.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void withoutASettingTheInstalledDatasetIsReadAndWithoutOneTheBundledSubset(@TempDir Path tmp) throws Exception {
        Path installed = datasetDir(tmp.resolve("installed"));

        assertThat(FashionMnist.load(null, installed).source()).isEqualTo(installed.toString());
        assertThat(FashionMnist.load("", tmp.resolve("absent")).source()).isEqualTo("bundled subset");
    }

    @Test
    void theSettingNamesTheBundledSubsetOrADirectoryWhateverIsInstalled(@TempDir Path tmp) throws Exception {
        Path installed = datasetDir(tmp.resolve("installed"));
        Path other = datasetDir(tmp.resolve("other"));

        assertThat(FashionMnist.load(FashionMnist.BUNDLED, installed).source()).isEqualTo("bundled subset");
        FashionMnist.Data fromDir = FashionMnist.load(other.toString(), installed);
        assertThat(fromDir.source()).isEqualTo(other.toString());
        assertThat(fromDir.test().count()).isEqualTo(1000);
    }

    @Test
    void aSettingThatNamesNothingIsAnErrorThatSaysWhichSetting(@TempDir Path tmp) {
        assertThatThrownBy(() -> FashionMnist.load(tmp.resolve("nowhere").toString(), tmp))
                .isInstanceOf(IOException.class).hasMessageContaining(FashionMnist.SOURCE_ENV)
                .hasMessageContaining("nowhere");
    }

    /** A directory laid out as Debian's package, holding the bundled subset's four files. */
    private static Path datasetDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.SUBSET_RESOURCE + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }
}
