package io.argus.ingest.validation;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.error.ArgusException;
import io.argus.common.error.Problem;
import io.argus.common.image.ImageDecoder;
import io.argus.common.image.ImageFormat;
import io.argus.common.image.ImageLimitsConfig;

/**
 * Decides whether an uploaded file is an image Argus can classify: the declared type is an image
 * type (or says nothing), the real format sniffed from the bytes agrees with it, and the image
 * is within the size and pixel limits and decodes. Uses the decoder of the shared preprocessing,
 * so what ingest accepts, inference can read.
 */
@ApplicationScoped
public class ImageValidator {

    private final ImageDecoder decoder;

    public ImageValidator(ImageLimitsConfig limits) {
        this.decoder = new ImageDecoder(limits.limits());
    }

    /**
     * @param declaredType the Content-Type the client sent, may be null
     * @return the image's real format
     * @throws ArgusException when the file is not acceptable
     */
    public ImageFormat check(byte[] bytes, String declaredType) {
        checkDeclaredType(declaredType);
        ImageFormat format = decoder.probe(bytes).format();
        ImageFormat declared = ImageFormat.ofMimeType(declaredType).orElse(null);
        if (declared != null && declared != format) {
            throw new ArgusException(Problem.UNSUPPORTED_TYPE, "CONTENT_TYPE_MISMATCH",
                    "the request says " + declaredType + " but the bytes are a " + format.name() + " image");
        }
        decoder.decode(bytes);
        return format;
    }

    private static void checkDeclaredType(String declaredType) {
        if (declaredType == null || declaredType.isBlank()) {
            return;
        }
        String type = declaredType.split(";", 2)[0].trim().toLowerCase();
        if (!type.startsWith("image/") && !type.equals("application/octet-stream")) {
            throw new ArgusException(Problem.UNSUPPORTED_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                    "send the image file itself with an image/* or application/octet-stream Content-Type, not "
                            + declaredType);
        }
    }
}
