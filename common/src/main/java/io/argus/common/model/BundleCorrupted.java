package io.argus.common.model;

/** A bundle whose checksum or contents are wrong; it must not be served. */
public class BundleCorrupted extends RuntimeException {

    public BundleCorrupted(String message) {
        super(message);
    }

    public BundleCorrupted(String message, Throwable cause) {
        super(message, cause);
    }
}
