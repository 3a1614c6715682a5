package io.argus.common.image;

/**
 * Tells a decoder that ran out of memory from one that met broken bytes. Decoders do not say so
 * plainly: the JDK's PNG reader wraps an {@link OutOfMemoryError} in an {@code IIOException}
 * ("Caught exception during read"), and libjpeg reports a failed native allocation as an
 * {@code IIOException} whose message starts with "Insufficient memory".
 */
final class OutOfMemory {

    /** libjpeg's JERR_OUT_OF_MEMORY, as ImageIO passes it on. */
    private static final String LIBJPEG = "Insufficient memory";

    private OutOfMemory() {
    }

    /** Whether {@code failure}, or anything that caused it, is running out of memory. */
    static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError || (t.getMessage() != null && t.getMessage().startsWith(LIBJPEG))) {
                return true;
            }
        }
        return false;
    }
}
