package io.argus.common.dataset;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Zalando, MIT licence): 28x28 grey pictures of clothes in ten classes, 60,000
 * for training and 10,000 for testing. Read from a directory with the four IDX files (Debian's
 * {@code dataset-fashion-mnist} package installs them under {@link #DEBIAN_DIR}), or else from
 * the subset shipped inside this jar (the first 6,000 training and 1,000 test images).
 * {@value #SOURCE_ENV} overrides the choice for every command and service of a machine: a directory,
 * or {@code bundled}; the build's tests set it to {@code bundled} so that what they assert does not
 * depend on whether the machine has the Debian package.
 */
public final class FashionMnist {

    public static final List<String> LABELS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** How models and label records name this dataset ({@code dataset:fashion-mnist} as a label source). */
    public static final String ID = "fashion-mnist";
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The environment variable naming where {@link #load()} reads from: a directory, or {@value #BUNDLED}. */
    public static final String SOURCE_ENV = "ARGUS_FASHION_MNIST";
    /** The value of {@value #SOURCE_ENV} that names the subset bundled with Argus. */
    public static final String BUNDLED = "bundled";
    static final String SUBSET_RESOURCE = "/datasets/fashion-mnist-subset/";

    /** Both splits and where they were read from. */
    public record Data(String source, LabeledImages train, LabeledImages test) {
    }

    private FashionMnist() {
    }

    /** What {@value #SOURCE_ENV} names; unset, the full dataset if installed, else the bundled subset. */
    public static Data load() throws IOException {
        return load(System.getenv(SOURCE_ENV), DEBIAN_DIR);
    }

    /** The dataset from {@code dir} if one is given (a command's {@code --data}), else as {@link #load()}. */
    public static Data load(Optional<Path> dir) throws IOException {
        return dir.isPresent() ? load(dir.get()) : load();
    }

    static Data load(String source, Path installed) throws IOException {
        if (source == null || source.isBlank()) {
            return Files.isDirectory(installed) ? load(installed) : loadSubset();
        }
        if (source.equals(BUNDLED)) {
            return loadSubset();
        }
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
            throw new IOException(SOURCE_ENV + "=" + source + " is neither a directory nor '" + BUNDLED + "'");
        }
        return load(dir);
    }

    /** The dataset from a directory holding the four {@code *-idx?-ubyte.gz} files. */
    public static Data load(Path dir) throws IOException {
        return new Data(dir.toString(),
                read(Files.newInputStream(dir.resolve("train-images-idx3-ubyte.gz")),
                        Files.newInputStream(dir.resolve("train-labels-idx1-ubyte.gz"))),
                read(Files.newInputStream(dir.resolve("t10k-images-idx3-ubyte.gz")),
                        Files.newInputStream(dir.resolve("t10k-labels-idx1-ubyte.gz"))));
    }

    /** The subset that ships with Argus. */
    public static Data loadSubset() throws IOException {
        return new Data("bundled subset",
                read(resource("train-images-idx3-ubyte.gz"), resource("train-labels-idx1-ubyte.gz")),
                read(resource("t10k-images-idx3-ubyte.gz"), resource("t10k-labels-idx1-ubyte.gz")));
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FashionMnist.class.getResourceAsStream(SUBSET_RESOURCE + name);
        if (in == null) {
            throw new IOException("the bundled Fashion-MNIST subset is missing " + name);
        }
        return in;
    }

    /** Reads gzipped IDX image and label files (the MNIST format: big-endian header, then bytes). */
    static LabeledImages read(InputStream imagesGz, InputStream labelsGz) throws IOException {
        try (DataInputStream images = new DataInputStream(new GZIPInputStream(imagesGz, 1 << 16));
             DataInputStream labels = new DataInputStream(new GZIPInputStream(labelsGz, 1 << 16))) {
            expect(images.readInt(), 0x00000803, "images");
            int count = images.readInt();
            int rows = images.readInt();
            int cols = images.readInt();
            expect(labels.readInt(), 0x00000801, "labels");
            int labelCount = labels.readInt();
            if (labelCount != count) {
                throw new IOException(count + " images but " + labelCount + " labels");
            }
            byte[] pixels = new byte[count * rows * cols];
            images.readFully(pixels);
            byte[] raw = new byte[count];
            labels.readFully(raw);
            int[] l = new int[count];
            for (int i = 0; i < count; i++) {
                l[i] = raw[i];
            }
            return new LabeledImages(rows, cols, pixels, l);
        }
    }

    private static void expect(int magic, int expected, String what) throws IOException {
        if (magic != expected) {
            throw new IOException("not an IDX " + what + " file (magic " + Integer.toHexString(magic) + ")");
        }
    }
}
