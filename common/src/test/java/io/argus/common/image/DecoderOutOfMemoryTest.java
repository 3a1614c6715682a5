package io.argus.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.argus.common.error.ArgusException;
import io.argus.common.error.Problem;

/**
 * Running out of memory while decoding says nothing about the image: the same file decodes once
 * memory is free again. So it is "unavailable, retry later", never CORRUPT_IMAGE, which tells a
 * camera to give up on a good picture (issue 15 §4).
 */
class DecoderOutOfMemoryTest {

    private static final byte[] PNG = TestImages.encode(
            TestImages.solid(FailingPngReaders.WIDTH, 3, BufferedImage.TYPE_3BYTE_BGR, Color.GRAY), "png");

    @Test
    void anOutOfMemoryErrorWrappedByThePngReaderAsksToRetryLater() {
        assertAsksToRetry(FailingPngReaders::pngOutOfMemory);
    }

    @Test
    void anOutOfMemoryErrorThrownAsItIsAsksToRetryLater() {
        assertAsksToRetry(() -> new OutOfMemoryError("Java heap space"));
    }

    @Test
    void libjpegFailingToAllocateNativeMemoryAsksToRetryLater() {
        assertAsksToRetry(FailingPngReaders::libjpegOutOfMemory);
    }

    @Test
    void thePreprocessingOfInferenceAsksToRetryLaterToo() {
        ImagePreprocessor pre = new ImagePreprocessor(InputSpec.grey(28, 28), ImageLimits.DEFAULT);
        // With an alpha channel the PNG is not one the preprocessing decodes itself (PlainPng), so
        // ImageIO's reader, the one made to fail here, decodes it.
        byte[] rgba = TestImages.encode(
                TestImages.solid(FailingPngReaders.WIDTH, 3, BufferedImage.TYPE_4BYTE_ABGR, Color.GRAY), "png");
        try (FailingPngReaders ignored = FailingPngReaders.install(FailingPngReaders::pngOutOfMemory)) {
            assertRetryLater(catchThrowable(() -> pre.prepare(rgba)));
        }
        assertThat(pre.prepare(rgba)).as("the same file, memory permitting").hasSize(28 * 28);
    }

    private static void assertAsksToRetry(Supplier<Throwable> failure) {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        try (FailingPngReaders ignored = FailingPngReaders.install(failure)) {
            assertRetryLater(catchThrowable(() -> decoder.decode(PNG)));
        }
        assertThat(decoder.decode(PNG).width()).as("the same file, memory permitting").isEqualTo(FailingPngReaders.WIDTH);
    }

    private static void assertRetryLater(Throwable thrown) {
        assertThat(thrown).isInstanceOf(ArgusException.class).isNotInstanceOf(ImageRejected.class);
        ArgusException e = (ArgusException) thrown;
        assertThat(e.problem()).as(e.code() + ": " + e.getMessage()).isEqualTo(Problem.UNAVAILABLE);
        assertThat(e.code()).isEqualTo("DECODER_BUSY");
        assertThat(e.retryAfter()).isPresent();
    }
}
