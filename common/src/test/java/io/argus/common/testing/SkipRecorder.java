package io.argus.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records every test of its class that is skipped (an assumption failed, or it is disabled), with
 * why, in {@code target/skipped-tests.txt} of the project's root. The last module of the build
 * prints that file, so {@code ./mvnw verify} ends saying which guarantee tests did not run. Put it
 * on every test class that can skip itself.
 */
public class SkipRecorder implements TestWatcher {

    /** The file, under the root's {@code target/}. */
    public static final String FILE = "skipped-tests.txt";

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, cause == null ? "aborted" : cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, reason.orElse("disabled"));
    }

    private static void record(ExtensionContext context, String why) {
        Path root = root();
        String line = root.relativize(Path.of("").toAbsolutePath()) + ": "
                + context.getRequiredTestClass().getSimpleName() + "#"
                + context.getTestMethod().map(m -> m.getName()).orElse("?") + " skipped: "
                + (why == null ? "" : why.replaceAll("^Assumption failed: (assumption is not true: )?", "")) + "\n";
        try {
            Path file = Files.createDirectories(root.resolve("target")).resolve(FILE);
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's root: the nearest directory up from here that holds {@code mvnw}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("mvnw")) && Files.exists(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return dir;
    }
}
