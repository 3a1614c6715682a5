package io.argus.common.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds outside programs the way a shell does: a path named by an environment variable first,
 * then each name on {@code PATH}. Tests that need a program look for it here, not at one fixed
 * path, so they run wherever a developer has it.
 */
public final class Tools {

    private Tools() {
    }

    /**
     * The program: the path in {@code variable} if it is set (and executable), else the first of
     * {@code names} found on {@code PATH}.
     */
    public static Optional<Path> find(String variable, String... names) {
        String named = variable == null ? null : System.getenv(variable);
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
