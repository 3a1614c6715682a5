package io.argus.ingest.validation;

import java.util.List;

/**
 * A request Argus will not take, with the HTTP status, a machine-readable code and a message for
 * people. Becomes a JSON error body; nothing of a refused request is published.
 */
public class Refusal extends RuntimeException {

    /** One refused file of a batch. */
    public record FileRefusal(String file, String code, String message) {
    }

    private final int status;
    private final String code;
    private final List<FileRefusal> files;

    public Refusal(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public Refusal(int status, String code, String message, List<FileRefusal> files) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.files = List.copyOf(files);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FileRefusal> files() {
        return files;
    }
}
