package io.argus.local.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary files a test resource made: gone when it stops, so runs of the suite do not fill the disk. */
public final class TempDirs {

    private TempDirs() {
    }

    /** Deletes {@code path} and, if it is a directory, everything in it; null or missing is fine. */
    public static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // What could not be deleted stays in the temp directory; not worth failing a test run for.
        }
    }
}
