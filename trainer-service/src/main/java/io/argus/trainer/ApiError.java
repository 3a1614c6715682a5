package io.argus.trainer;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request the trainer will not carry out, with the HTTP status, a machine-readable code and a
 * message for people. Every trainer endpoint answers errors with {@link Body}.
 */
public class ApiError extends RuntimeException {

    /** The JSON of every error answer. */
    public record Body(String code, String message) {
    }

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Maps {@link ApiError} to its JSON answer. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response map(ApiError e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                    .entity(new Body(e.code(), e.getMessage())).build();
        }
    }
}
