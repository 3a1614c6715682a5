package io.argus.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One API key per role, in a keys file made once per test JVM, and the configuration that turns
 * access control on with it (the test profile turns it off; tests of access want it as deployed).
 * Key names are {@code test-<role>}.
 */
public final class TestKeys {

    /** Role to secret. */
    public static final Map<String, String> KEYS = Map.of(
            "sensor", "sensor-secret-0123456789",
            "labeler", "labeler-secret-0123456789",
            "admin", "admin-secret-0123456789",
            "model-reader", "model-reader-secret-0123456789");

    private static Path file;

    private TestKeys() {
    }

    /** Access control on, with the keys file. */
    public static Map<String, String> accessControlOn() {
        return Map.of("argus.security.enabled", "true", "%test.argus.security.enabled", "true",
                "argus.security.keys-file", file().toString());
    }

    public static synchronized Path file() {
        if (file == null) {
            StringBuilder text = new StringBuilder();
            new TreeMap<>(KEYS).forEach((role, secret) -> text.append("test-").append(role).append(':').append(role)
                    .append(':').append(secret).append('\n'));
            try {
                file = Files.createTempFile("argus-keys-", "");
                Files.writeString(file, text);
                file.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
