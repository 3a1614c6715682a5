package io.argus.common.contract;

import java.util.UUID;
import java.util.regex.Pattern;

import io.argus.common.error.ContractViolation;

/** Rules for the ids that travel as keys and headers (image ids, sensor ids). */
public final class Identifiers {

    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:@/-]{1," + MAX_LENGTH + "}");

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
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new ContractViolation("INVALID_HEADER", what + " must be 1-" + MAX_LENGTH
                    + " characters of letters, digits and ._:@/- but was " + quote(value));
        }
        return value;
    }

    static String quote(String value) {
        if (value == null) {
            return "missing";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + shown + "'";
    }
}
