package io.argus.common.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Puts the one error body into every service's OpenAPI document: the {@code ErrorBody} schema, and
 * a {@code default} answer on every operation that says every error looks like it. Registered with
 * {@code mp.openapi.filter} (common's shared configuration).
 */
public class ErrorsInOpenApi implements OASFilter {

    static final String SCHEMA = "ErrorBody";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        Schema detail = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("item", string("the refused item of a batch: a file name, an index, an image id"))
                .addProperty("code", string("why it was refused, machine-readable"))
                .addProperty("message", string("why, for people"));
        api.getComponents().addSchema(SCHEMA, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The body of every error answer of every Argus service.")
                .addProperty("code", string("machine-readable, e.g. UNKNOWN_VERSION, RATE_LIMITED, INVALID_JSON"))
                .addProperty("message", string("what went wrong and what to do, for people"))
                .addProperty("details", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(detail)
                        .description("per refused item, for requests of several items"))
                .required(List.of("code", "message")));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().getPathItems().values().forEach(path -> {
            Map<?, Operation> operations = path.getOperations();
            operations.values().forEach(this::addDefaultError);
        });
    }

    private void addDefaultError(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse error = OASFactory.createAPIResponse().description(
                        "An error: 400 invalid request or JSON, 401 no or unknown API key (with WWW-Authenticate), "
                                + "403 wrong role, 404 unknown, 409 conflict, 413 too large, 415 unsupported type, "
                                + "422 unusable content, 429 rate limited and 503 unavailable (both with Retry-After)")
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .ref("#/components/schemas/" + SCHEMA))));
        operation.getResponses().addAPIResponse("default", error);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
