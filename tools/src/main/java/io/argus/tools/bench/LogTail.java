package io.argus.tools.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a service's log, for a failure message; only its end is read, however long it grew. */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    static String of(Path log, int lines) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (from > 0 && all.size() > 1) {
                all = all.subList(1, all.size()); // the first line read is cut
            }
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last line that says anything, for progress notes. */
    static String lastLine(Path log) {
        String tail = of(log, 5).strip();
        return tail.isEmpty() ? "(nothing logged yet)" : tail.substring(tail.lastIndexOf('\n') + 1);
    }
}
