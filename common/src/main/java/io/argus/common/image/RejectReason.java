package io.argus.common.image;

/** Why an image was refused. The names are the machine-readable codes in REST errors and DLQ headers. */
public enum RejectReason {
    /** No bytes at all. */
    EMPTY,
    /** More bytes than the configured limit. */
    TOO_LARGE,
    /** The bytes are none of the accepted formats. */
    UNSUPPORTED_FORMAT,
    /** The header declares more pixels than the configured limit (decompression bomb guard). */
    TOO_MANY_PIXELS,
    /** The bytes claim a format but cannot be decoded. */
    CORRUPT_IMAGE;

    /** The HTTP status a REST endpoint answers with for this reason. */
    public int httpStatus() {
        return switch (this) {
            case EMPTY -> 400;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case TOO_MANY_PIXELS, CORRUPT_IMAGE -> 422;
        };
    }
}
