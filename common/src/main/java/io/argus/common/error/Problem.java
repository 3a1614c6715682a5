package io.argus.common.error;

/**
 * The kinds of trouble Argus reports, in its own terms. Code inside the services throws
 * {@link ArgusException} with one of these; only the REST boundary turns them into HTTP statuses.
 */
public enum Problem {
    /** The request is malformed or asks for something not allowed (a bad option, an empty label). */
    INVALID_REQUEST,
    /** What the request names does not exist (a version, a sample, an image id). */
    NOT_FOUND,
    /** The request conflicts with the state (a run in progress, already labeled, already champion). */
    CONFLICT,
    /** What the request names existed but is gone for good (past the topic's retention). */
    GONE,
    /** More than the limits allow (bytes, files). */
    TOO_LARGE,
    /** A type or format Argus does not take. */
    UNSUPPORTED_TYPE,
    /** Well-formed but unusable content (an image that does not decode). */
    UNPROCESSABLE,
    /** Too many requests from one client; retry later. */
    RATE_LIMITED,
    /** A dependency (Kafka) or capacity is unavailable right now; retry later. */
    UNAVAILABLE
}
