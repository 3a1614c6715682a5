package io.argus.common.rest;

import java.time.Duration;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.argus.common.error.ErrorBody;
import io.argus.common.error.Problem;

/** The REST boundary's one place where Argus' problems become HTTP statuses and error answers. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static int status(Problem problem) {
        return switch (problem) {
            case INVALID_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_TYPE -> 415;
            case UNPROCESSABLE -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** An error answer: the status, the one JSON body, and Retry-After when the client should retry. */
    public static Response of(int status, ErrorBody body, Duration retryAfter) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        if (retryAfter != null) {
            r.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return r.build();
    }
}
