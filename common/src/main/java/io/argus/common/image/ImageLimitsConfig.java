package io.argus.common.image;

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

    default ImageLimits limits() {
        return new ImageLimits(maxBytes(), maxPixels());
    }
}
