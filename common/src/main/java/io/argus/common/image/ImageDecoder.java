package io.argus.common.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.argus.common.error.ArgusException;

/**
 * Turns image file bytes into pixels, safely: format from the magic bytes, size and pixel-count
 * limits checked from the header before decoding, a JPEG required to be whole, the memory a decode
 * takes estimated from the header and claimed from the {@link DecodeMemory} budget, and every
 * decoder failure reported as an {@link ImageRejected} with a reason (or, when memory ran out, a
 * {@link DecoderBusy}) instead of an exception from deep inside ImageIO.
 *
 * <p>Thread-safe; each call uses its own reader.
 */
public final class ImageDecoder {

    static {
        // ImageIO's disk cache only slows in-memory decoding down and leaves temp files behind.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private final ImageLimits limits;
    private final DecodeMemory memory;

    /** A decoder without a memory budget: decodes run as they come (inference, training, tools). */
    public ImageDecoder(ImageLimits limits) {
        this(limits, DecodeMemory.unbounded());
    }

    /** A decoder whose decodes claim their memory from {@code memory}, shared with the service's other decoders. */
    public ImageDecoder(ImageLimits limits, DecodeMemory memory) {
        this.limits = limits;
        this.memory = memory;
    }

    public ImageLimits limits() {
        return limits;
    }

    public DecodeMemory memory() {
        return memory;
    }

    /** Decodes the first frame at full resolution. */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, 0, 0);
    }

    /**
     * Decodes the first frame, at reduced resolution when the image is far larger than needed:
     * a 12-megapixel JPEG bound for a 224x224 model is subsampled while decoding (2-4x faster)
     * but never to less than twice the target size, so the resampler still sees real detail.
     *
     * @param targetWidth  the width the pixels will be resized to, or 0 for full resolution
     * @param targetHeight the height the pixels will be resized to, or 0 for full resolution
     */
    public DecodedImage decode(byte[] bytes, int targetWidth, int targetHeight) {
        return read(bytes, (format, reader, width, height) -> Subsampling.forTarget(width, height, targetWidth,
                targetHeight));
    }

    /**
     * Decodes all of the first frame's data, to know that the image can be used, keeping no more
     * than a megapixel of it ({@link Subsampling#forVerification}): what ingest needs, in memory
     * that does not grow with the image. A 7000x7000 16-bit PNG takes 8 MB instead of 392 MB.
     * Refuses what {@link #decode(byte[])} refuses.
     */
    public DecodedImage verify(byte[] bytes) {
        return read(bytes, Subsampling::forVerification);
    }

    /** Format and dimensions from the header only, without decoding pixels. */
    public DecodedImage probe(byte[] bytes) {
        return withReader(bytes, (format, reader, width, height) -> new DecodedImage(format, width, height, null));
    }

    /**
     * A plain PNG ({@link PlainPng}: 8-bit grey or RGB, nothing but its pixels) decoded without
     * ImageIO, when it is one, within the limits and the memory budget, and decoded at full
     * resolution for this target anyway; null for every other file, which {@link #decode} then
     * decodes (or refuses) through ImageIO. The pixels are the ones ImageIO gives for the file.
     */
    PlainPng.Pixels plainPng(byte[] bytes, int targetWidth, int targetHeight) {
        if (bytes == null || bytes.length > limits.maxBytes()) {
            return null;
        }
        PlainPng.Header h = PlainPng.header(bytes);
        if (h == null || (long) h.width() * h.height() > limits.maxPixels()
                || Subsampling.forTarget(h.width(), h.height(), targetWidth, targetHeight) != 1) {
            return null;
        }
        // DecodeCost's estimate for ImageIO's decode of the same file: its pixels and two rows.
        long need = ((long) h.width() * h.height() + 2L * h.width()) * h.colours();
        if (need > memory.budgetBytes()) {
            return null;
        }
        try (DecodeMemory.Claim claim = memory.claim(need)) {
            return PlainPng.decode(bytes, h);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(ImageFormat.PNG, e);
        }
    }

    /** The subsampling step of one decode, chosen once the header is known. */
    @FunctionalInterface
    private interface StepChoice {
        int step(ImageFormat format, ImageReader reader, int width, int height) throws IOException;
    }

    private DecodedImage read(byte[] bytes, StepChoice choice) {
        return withReader(bytes, (format, reader, width, height) -> {
            if (format == ImageFormat.JPEG) {
                requireEndMarker(bytes);
            }
            int step = choice.step(format, reader, width, height);
            long need = DecodeCost.bytes(format, reader, width, height, step);
            if (need > memory.budgetBytes()) {
                // No wait makes room that is not there: answering "retry later" would be a loop.
                throw new ImageRejected(RejectReason.TOO_MANY_PIXELS, "decoding this " + width + "x" + height + " "
                        + format.name() + " image takes about " + DecodeMemory.mib(need) + " MiB, more than all the "
                        + "memory this service decodes with (argus.images.decode-memory, "
                        + DecodeMemory.mib(memory.budgetBytes()) + " MiB)");
            }
            try (DecodeMemory.Claim claim = memory.claim(need)) {
                ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                if (format == ImageFormat.JPEG) {
                    image = ExifOrientation.apply(image, ExifOrientation.of(bytes));
                }
                return new DecodedImage(format, width, height, image);
            }
        });
    }

    /** What to do with a reader positioned on an image whose header passed the checks. */
    @FunctionalInterface
    private interface ReaderTask {
        DecodedImage apply(ImageFormat format, ImageReader reader, int width, int height) throws IOException;
    }

    private DecodedImage withReader(byte[] bytes, ReaderTask task) {
        ImageFormat format = checkFormatAndSize(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(format, in);
            try {
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkPixels(width, height);
                return task.apply(format, reader, width, height);
            } finally {
                reader.dispose();
            }
        } catch (ArgusException e) {
            throw e; // ImageRejected or DecoderBusy: already said in Argus' terms
        } catch (IOException | RuntimeException e) {
            // Decoders signal broken input with anything from IIOException to ArrayIndexOutOfBounds,
            // and running out of memory sometimes wrapped in one of those.
            throw OutOfMemory.in(e) ? outOfMemory(format, e) : corrupt(format, e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(format, e);
        }
    }

    private DecoderBusy outOfMemory(ImageFormat format, Throwable e) {
        return new DecoderBusy("the decoder ran out of memory on this " + format.name() + " image, which says "
                + "nothing about the image: retry later", memory.retryAfter(), e);
    }

    private ImageFormat checkFormatAndSize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejected(RejectReason.EMPTY, "the image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejected(RejectReason.TOO_LARGE,
                    "the image is " + bytes.length + " bytes; the limit is " + limits.maxBytes());
        }
        return ImageFormat.sniff(bytes).orElseThrow(() -> new ImageRejected(RejectReason.UNSUPPORTED_FORMAT,
                "the bytes are not a JPEG, PNG, GIF, BMP or TIFF image"));
    }

    private void checkPixels(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE, "the header declares " + width + "x" + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageRejected(RejectReason.TOO_MANY_PIXELS, "the header declares " + width + "x" + height
                    + " = " + pixels + " pixels; the limit is " + limits.maxPixels());
        }
    }

    private static void requireEndMarker(byte[] jpeg) {
        if (JpegEnd.of(jpeg) < 0) {
            throw new ImageRejected(RejectReason.CORRUPT_IMAGE, "the JPEG ends before its end-of-image marker (FF D9): "
                    + "the file is truncated (" + jpeg.length + " bytes arrived); send the whole file");
        }
    }

    private static ImageReader readerFor(ImageFormat format, ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("no image input stream");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageRejected(RejectReason.UNSUPPORTED_FORMAT, "no decoder for " + format.name() + " is installed");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static ImageRejected corrupt(ImageFormat format, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (format == ImageFormat.JPEG && detail.contains("Unsupported Image Type")) {
            // ImageIO's words for a 4-channel JPEG: print workflows' CMYK/YCCK, not a camera's.
            return new ImageRejected(RejectReason.UNSUPPORTED_FORMAT,
                    "the JPEG has CMYK or YCCK colour, which is not supported: send RGB or greyscale", e);
        }
        return new ImageRejected(RejectReason.CORRUPT_IMAGE,
                "the bytes start like a " + format.name() + " image but cannot be decoded: " + detail, e);
    }
}
