package io.argus.common.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.argus.common.error.ErrorBody;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** 401 and 403 as JSON bodies with a code and a sentence, like every other error of Argus. */
public final class AccessErrors {

    private AccessErrors() {
    }

    public static Response unauthorized(String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", "Bearer realm=\"argus\"").entity(new ErrorBody("UNAUTHORIZED", message)).build();
    }

    @Provider
    public static class NoKey implements ExceptionMapper<UnauthorizedException> {
        @Override
        public Response toResponse(UnauthorizedException e) {
            return unauthorized("this endpoint needs an API key: send 'Authorization: Bearer <key>'");
        }
    }

    @Provider
    public static class BadKey implements ExceptionMapper<AuthenticationFailedException> {
        @Override
        public Response toResponse(AuthenticationFailedException e) {
            return unauthorized("the API key is not known");
        }
    }

    @Provider
    public static class WrongRole implements ExceptionMapper<ForbiddenException> {
        @Override
        public Response toResponse(ForbiddenException e) {
            return Response.status(403).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("FORBIDDEN", "this API key's roles do not allow this request")).build();
        }
    }
}
