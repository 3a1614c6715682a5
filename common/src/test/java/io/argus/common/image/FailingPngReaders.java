package io.argus.common.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Supplier;

import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * A PNG reader put in front of the JDK's that fails as a decoder does when memory runs out, but
 * only for images exactly {@link #WIDTH} pixels wide: every other PNG is read by the JDK's reader,
 * so other tests of the same JVM are not disturbed while it is installed.
 */
public final class FailingPngReaders implements AutoCloseable {

    /** The width of the images whose reading fails. */
    public static final int WIDTH = 1009;

    /** How the JDK's PNG reader reports an OutOfMemoryError: wrapped, with an empty message. */
    public static IOException pngOutOfMemory() {
        return new IIOException("Caught exception during read: ", new OutOfMemoryError("Java heap space"));
    }

    /** How libjpeg reports a failed allocation of native memory. */
    static IOException libjpegOutOfMemory() {
        return new IIOException("Insufficient memory (case 4)");
    }

    private final Spi spi;

    private FailingPngReaders(Spi spi) {
        this.spi = spi;
    }

    /** Installs a reader whose {@code read} throws what {@code failure} gives for {@link #WIDTH}-wide images. */
    public static FailingPngReaders install(Supplier<Throwable> failure) {
        new ImageDecoder(ImageLimits.DEFAULT); // ImageIO's plugin scan runs first, so ours stays in front
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ImageReaderSpi jdk = null;
        for (Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class, false); it.hasNext(); ) {
            ImageReaderSpi candidate = it.next();
            if (!(candidate instanceof Spi) && Arrays.asList(candidate.getFormatNames()).contains("png")) {
                jdk = candidate;
            }
        }
        if (jdk == null) {
            throw new IllegalStateException("no PNG reader is installed");
        }
        Spi spi = new Spi(jdk, failure);
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
        registry.setOrdering(ImageReaderSpi.class, spi, jdk);
        return new FailingPngReaders(spi);
    }

    @Override
    public void close() {
        IIORegistry.getDefaultInstance().deregisterServiceProvider(spi, ImageReaderSpi.class);
    }

    private static final class Spi extends ImageReaderSpi {
        private final ImageReaderSpi jdk;
        private final Supplier<Throwable> failure;

        Spi(ImageReaderSpi jdk, Supplier<Throwable> failure) {
            this.jdk = jdk;
            this.failure = failure;
            this.names = new String[] {"png"};
            this.inputTypes = new Class<?>[] {ImageInputStream.class};
            this.pluginClassName = Reader.class.getName();
        }

        @Override
        public boolean canDecodeInput(Object source) throws IOException {
            return jdk.canDecodeInput(source);
        }

        @Override
        public ImageReader createReaderInstance(Object extension) throws IOException {
            return new Reader(this, jdk.createReaderInstance(extension), failure);
        }

        @Override
        public String getDescription(Locale locale) {
            return "a PNG reader that runs out of memory, for tests";
        }
    }

    private static final class Reader extends ImageReader {
        private final ImageReader png;
        private final Supplier<Throwable> failure;

        Reader(ImageReaderSpi spi, ImageReader png, Supplier<Throwable> failure) {
            super(spi);
            this.png = png;
            this.failure = failure;
        }

        @Override
        public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
            super.setInput(input, seekForwardOnly, ignoreMetadata);
            png.setInput(input, seekForwardOnly, ignoreMetadata);
        }

        @Override
        public int getNumImages(boolean allowSearch) throws IOException {
            return png.getNumImages(allowSearch);
        }

        @Override
        public int getWidth(int imageIndex) throws IOException {
            return png.getWidth(imageIndex);
        }

        @Override
        public int getHeight(int imageIndex) throws IOException {
            return png.getHeight(imageIndex);
        }

        @Override
        public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) throws IOException {
            return png.getImageTypes(imageIndex);
        }

        @Override
        public IIOMetadata getStreamMetadata() throws IOException {
            return png.getStreamMetadata();
        }

        @Override
        public IIOMetadata getImageMetadata(int imageIndex) throws IOException {
            return png.getImageMetadata(imageIndex);
        }

        @Override
        public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
            if (png.getWidth(imageIndex) == WIDTH) {
                Throwable t = failure.get();
                if (t instanceof IOException io) {
                    throw io;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
            return png.read(imageIndex, param);
        }

        @Override
        public void dispose() {
            png.dispose();
        }
    }
}
