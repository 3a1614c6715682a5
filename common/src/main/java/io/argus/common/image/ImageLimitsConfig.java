package io.argus.common.image;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code argus.images.*}: the limits every service applies to incoming images. */
@ConfigMapping(prefix = "argus.images")
public interface ImageLimitsConfig {

    /** Largest image file accepted, in bytes (default 10 MiB). */
    @WithDefault("10485760")
    long maxBytes();

    /** Largest width x height accepted, read from the header before decoding (default 50 megapixels). */
    @WithDefault("50000000")
    long maxPixels();

    /**
     * Memory all image decodes of a service may hold at once, in bytes (default 128 MiB), estimated
     * per image from its header. A decode that finds no room within {@link #decodeWait()} is
     * answered 503 {@code DECODER_BUSY} with a Retry-After; an image whose decode alone needs more
     * is refused {@code TOO_MANY_PIXELS}. Each decoding path has a budget of this size (see
     * {@link DecodeMemory}): ingest's, inference's stream (which waits 30 s for room, then decodes the
     * batch again later) and inference's {@code /api/classify}.
     */
    @WithDefault("134217728")
    long decodeMemory();

    /** How long a decode waits for room in {@link #decodeMemory()} before giving up (default 1s). */
    @WithDefault("1s")
    Duration decodeWait();

    default ImageLimits limits() {
        return new ImageLimits(maxBytes(), maxPixels());
    }
}
