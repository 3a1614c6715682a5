package io.argus.trainer.registry;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The model registry: {@code GET /api/models} lists versions with status, provenance and metrics;
 * {@code GET /api/models/{version}} shows one; {@code GET /api/models/{version}/bundle} serves the
 * bundle file with its SHA-256 in {@code X-Argus-Sha256}, which inference downloads and verifies.
 */
@Path("/api/models")
public class ModelRegistryResource {

    /** Error answer. */
    public record Error(String code, String message) {
    }

    private final ModelRegistry registry;

    public ModelRegistryResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ModelRegistry.Version> list() {
        return registry.versions();
    }

    @GET
    @Path("/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("version") int version) {
        return registry.version(version).map(v -> Response.ok(v).build()).orElseGet(() -> notFound(version));
    }

    @GET
    @Path("/{version}/bundle")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response bundle(@PathParam("version") int version) {
        return registry.stored(version)
                .map(s -> Response.ok(s.file().toFile(), MediaType.APPLICATION_OCTET_STREAM)
                        .header("X-Argus-Sha256", s.sha256())
                        .header("Content-Disposition", "attachment; filename=\"" + s.file().getFileName() + "\"")
                        .build())
                .orElseGet(() -> notFound(version));
    }

    private static Response notFound(int version) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(new Error("UNKNOWN_VERSION", "there is no model version " + version)).build();
    }
}
