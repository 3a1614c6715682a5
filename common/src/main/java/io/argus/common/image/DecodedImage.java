package io.argus.common.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image and what its header said.
 *
 * @param width  full width from the header (the image may have been decoded at reduced resolution)
 * @param height full height from the header
 */
public record DecodedImage(ImageFormat format, int width, int height, BufferedImage image) {
}
