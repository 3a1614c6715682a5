package io.argus.common.image;

import io.argus.common.error.Problem;

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

    /** What kind of problem this is for a client that sent the image. */
    public Problem problem() {
        return switch (this) {
            case EMPTY -> Problem.INVALID_REQUEST;
            case TOO_LARGE -> Problem.TOO_LARGE;
            case UNSUPPORTED_FORMAT -> Problem.UNSUPPORTED_TYPE;
            case TOO_MANY_PIXELS, CORRUPT_IMAGE -> Problem.UNPROCESSABLE;
        };
    }
}
