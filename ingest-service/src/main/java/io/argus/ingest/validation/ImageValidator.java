package io.argus.ingest.validation;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.error.ArgusException;
import io.argus.common.error.Problem;
import io.argus.common.image.DecodeMemory;
import io.argus.common.image.DecoderBusy;
import io.argus.common.image.ImageDecoder;
import io.argus.common.image.ImageFormat;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.ingest.IngestConfig;

/**
 * Decides whether an uploaded file is an image Argus can classify: the declared type is an image
 * type (or says nothing), the real format sniffed from the bytes agrees with it, and the image
 * is within the size and pixel limits and decodes. Uses the decoder of the shared preprocessing,
 * so what ingest accepts, inference can read.
 *
 * <p>Ingest only needs to know that an image decodes, not its pixels: it decodes all of the data
 * but keeps at most a megapixel ({@link ImageDecoder#verify}), within the service's
 * {@link DecodeMemory} budget ({@code argus.images.decode-memory}). When the budget is taken, the
 * answer is {@link DecoderBusy} (503 with Retry-After), never a refusal of a good image.
 */
@ApplicationScoped
public class ImageValidator {

    private final ImageDecoder decoder;

    public ImageValidator(ImageLimitsConfig limits, IngestConfig config) {
        this.decoder = new ImageDecoder(limits.limits(),
                DecodeMemory.of(limits, Duration.ofSeconds(config.retryAfterSeconds())));
    }

    /** The budget this validator's decodes claim their memory from. */
    public DecodeMemory decodeMemory() {
        return decoder.memory();
    }

    /**
     * @param declaredType the Content-Type the client sent, may be null
     * @return the image's real format
     * @throws ArgusException when the file is not acceptable
     * @throws DecoderBusy     when there is no memory to decode it now
     */
    public ImageFormat check(byte[] bytes, String declaredType) {
        checkDeclaredType(declaredType);
        ImageFormat format = decoder.probe(bytes).format();
        ImageFormat declared = ImageFormat.ofMimeType(declaredType).orElse(null);
        if (declared != null && declared != format) {
            throw new ArgusException(Problem.UNSUPPORTED_TYPE, "CONTENT_TYPE_MISMATCH",
                    "the request says " + declaredType + " but the bytes are a " + format.name() + " image");
        }
        decoder.verify(bytes);
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
