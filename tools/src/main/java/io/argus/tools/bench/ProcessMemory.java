package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resident memory of a process as the kernel counts it, from Linux's {@code /proc/<pid>/status}:
 * everything of it in RAM (Java heap, metaspace, thread stacks, ONNX Runtime's and ND4J's native
 * allocations, mapped libraries), which is what a container's memory limit is measured against.
 *
 * @param rssBytes     {@code VmRSS}: resident now
 * @param peakRssBytes {@code VmHWM}: the highest resident set since the process started (the
 *                     kernel's high-water mark, so no short peak is missed between two looks)
 */
record ProcessMemory(long rssBytes, long peakRssBytes) {

    /** How the figures are read, for reports. */
    static final String SOURCE = "VmRSS and VmHWM of /proc/<pid>/status";

    /** The process's memory now, or empty where there is no {@code /proc} (not Linux) or the process is gone. */
    static Optional<ProcessMemory> of(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return parse(Files.readString(status));
        } catch (IOException | SecurityException gone) {
            return Optional.empty();
        }
    }

    /** The figures of a {@code /proc/<pid>/status} text; empty if either is missing (a kernel thread, a zombie). */
    static Optional<ProcessMemory> parse(String status) {
        OptionalLong rss = kilobytes(status, "VmRSS");
        OptionalLong peak = kilobytes(status, "VmHWM");
        if (rss.isEmpty() || peak.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessMemory(rss.getAsLong() * 1024, peak.getAsLong() * 1024));
    }

    /** A field such as {@code VmHWM:\t  123456 kB}; the kernel gives these in kB (KiB) always. */
    private static OptionalLong kilobytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (!line.startsWith(field + ":")) {
                continue;
            }
            String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
            if (parts.length != 2 || !parts[1].equals("kB")) {
                throw new IllegalArgumentException("unexpected " + field + " line in /proc status: '" + line + "'");
            }
            return OptionalLong.of(Long.parseLong(parts[0]));
        }
        return OptionalLong.empty();
    }

    static String mib(long bytes) {
        return Long.toString(Math.round(bytes / (1024.0 * 1024.0)));
    }
}
