package io.argus.common.error;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Something a service will not or cannot do, said in Argus' terms: the {@link Problem}, a
 * machine-readable code (e.g. {@code UNKNOWN_VERSION}), a message for people and, for batches,
 * the refused items. The REST boundary maps it to a status and an {@link ErrorBody}; code that
 * throws it knows nothing of HTTP.
 */
public class ArgusException extends RuntimeException {

    private final Problem problem;
    private final String code;
    private final List<ErrorBody.Detail> details;
    private final Duration retryAfter;

    public ArgusException(Problem problem, String code, String message) {
        this(problem, code, message, List.of(), null, null);
    }

    public ArgusException(Problem problem, String code, String message, List<ErrorBody.Detail> details,
                          Duration retryAfter, Throwable cause) {
        // No stack trace: these are answers, not bugs, and some come at a high rate.
        super(message, cause, false, false);
        this.problem = problem;
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static ArgusException invalid(String code, String message) {
        return new ArgusException(Problem.INVALID_REQUEST, code, message);
    }

    public static ArgusException notFound(String code, String message) {
        return new ArgusException(Problem.NOT_FOUND, code, message);
    }

    public static ArgusException conflict(String code, String message) {
        return new ArgusException(Problem.CONFLICT, code, message);
    }

    public static ArgusException gone(String code, String message) {
        return new ArgusException(Problem.GONE, code, message);
    }

    /** Kafka (or another dependency) cannot take or give what is needed now; the client may retry. */
    public static ArgusException unavailable(String code, String message, Duration retryAfter, Throwable cause) {
        return new ArgusException(Problem.UNAVAILABLE, code, message, List.of(), retryAfter, cause);
    }

    public static ArgusException rateLimited(String code, String message, Duration retryAfter) {
        return new ArgusException(Problem.RATE_LIMITED, code, message, List.of(), retryAfter, null);
    }

    public Problem problem() {
        return problem;
    }

    public String code() {
        return code;
    }

    public List<ErrorBody.Detail> details() {
        return details;
    }

    /** When the client may try again, for problems that pass. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public ErrorBody body() {
        return new ErrorBody(code, getMessage(), details);
    }
}
