package io.argus.common.rest;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.argus.common.error.ArgusException;
import io.argus.common.error.ErrorBody;

/**
 * Every error a service answers, as the one {@link ErrorBody}: Argus' own refusals, the framework's
 * (no such path, method not allowed, unsupported media type, a path parameter of the wrong type)
 * and request bodies that are not the JSON expected. Never an empty or HTML body.
 */
public final class ErrorMappers {

    private ErrorMappers() {
    }

    static Response response(ArgusException e) {
        return ErrorResponses.of(ErrorResponses.status(e.problem()), e.body(), e.retryAfter().orElse(null));
    }

    @Provider
    public static class Refusals implements ExceptionMapper<ArgusException> {
        @Override
        public Response toResponse(ArgusException e) {
            return response(e);
        }
    }

    /** The framework's own refusals (404, 405, 406, 415 and 400 for unparsable parameters). */
    @Provider
    public static class Framework implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof JsonProcessingException json) {
                    return response(InvalidJson.refusal(json));
                }
            }
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            ErrorBody body = switch (status) {
                case 404 -> new ErrorBody("NOT_FOUND", "there is no such resource (check the path and its "
                        + "parameters: version numbers are integers)");
                case 405 -> new ErrorBody("METHOD_NOT_ALLOWED", "this method is not allowed here" + allowed(e));
                case 406 -> new ErrorBody("NOT_ACCEPTABLE", "this resource cannot answer in the type asked for");
                case 415 -> new ErrorBody("UNSUPPORTED_MEDIA_TYPE", "this endpoint does not take that Content-Type");
                case 400 -> new ErrorBody("INVALID_REQUEST", "the request is malformed"
                        + (e.getMessage() == null || e.getMessage().startsWith("HTTP 400") ? "" : ": " + e.getMessage()));
                case 401, 403 -> new ErrorBody(status == 401 ? "UNAUTHORIZED" : "FORBIDDEN", e.getMessage());
                default -> new ErrorBody(status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status,
                        status >= 500 ? "the service failed on this request" : String.valueOf(e.getMessage()));
            };
            Response.ResponseBuilder r = Response.fromResponse(ErrorResponses.of(status, body, null));
            if (status == 405 && e.getResponse() != null && e.getResponse().getHeaderString("Allow") != null) {
                r.header("Allow", e.getResponse().getHeaderString("Allow"));
            }
            return r.build();
        }

        private static String allowed(WebApplicationException e) {
            if (e instanceof NotAllowedException && e.getResponse() != null
                    && e.getResponse().getHeaderString("Allow") != null) {
                return "; allowed: " + e.getResponse().getHeaderString("Allow");
            }
            return "";
        }
    }

    @Provider
    public static class UnexpectedJson implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return response(InvalidJson.refusal(e));
        }
    }

    // The framework maps these subtypes itself; mappers of the exact types take precedence.
    @Provider
    public static class MismatchedJson implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return response(InvalidJson.refusal(e));
        }
    }

    @Provider
    public static class UnparsableJson implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return response(InvalidJson.refusal(e));
        }
    }
}
