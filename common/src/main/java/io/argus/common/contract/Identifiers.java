package io.argus.common.contract;

import java.util.UUID;

import io.argus.common.error.ContractViolation;

/** Rules for the ids that travel as keys and headers (image ids, sensor ids). */
public final class Identifiers {

    public static final int MAX_LENGTH = 128;
    /** Besides ASCII letters and digits. */
    private static final String PUNCTUATION = "._:@/-";

    private Identifiers() {
    }

    /** A fresh image id. */
    public static String newImageId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Returns {@code value} if it is a valid id, else throws a {@link ContractViolation} with code
     * {@code INVALID_HEADER} naming {@code what}.
     */
    public static String require(String what, String value) {
        if (!valid(value)) {
            throw new ContractViolation("INVALID_HEADER", what + " must be 1-" + MAX_LENGTH
                    + " characters of letters, digits and ._:@/- but was " + quote(value));
        }
        return value;
    }

    /**
     * 1 to {@link #MAX_LENGTH} characters of ASCII letters and digits and {@value #PUNCTUATION}: the
     * pattern {@code [A-Za-z0-9._:@/-]{1,128}}, checked without a regex for each id of every image.
     */
    static boolean valid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || PUNCTUATION.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    static String quote(String value) {
        if (value == null) {
            return "missing";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + shown + "'";
    }
}
