package io.argus.trainer.registry;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.argus.common.security.Roles;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.StoredModel;
import io.argus.common.error.ArgusException;
import io.argus.trainer.JsonBody;

/**
 * The model registry: {@code GET /api/models} lists versions with status, provenance and metrics;
 * {@code GET /api/models/{version}} shows one; {@code GET /api/models/{version}/bundle} serves the
 * bundle file with its SHA-256 in {@code X-Argus-Sha256}, which inference downloads and verifies.
 * {@code POST /api/models/{version}/promote} makes a version champion by hand (PROMOTED),
 * {@code POST /api/models/{version}/rollback} goes back to an earlier one: it is RESTORED and the
 * champion it replaces WITHDRAWN, in one transaction. Both take an optional {@code {"reason": ...}}
 * and are announced on argus.models like the gate's decisions.
 * Metadata is for people (labeler or admin: the desk's models view); a bundle is the trained model
 * itself, for inference's model-reader key (or admin), not for labelers.
 * Everything but the bundle says or changes which version is champion, so it waits for the model
 * history (503 until it is read); a bundle is the stored file whoever is champion.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelRegistryResource {

    /** Optional body of promote and rollback. */
    public record Decision(String reason) {
    }

    private final ModelRegistry registry;
    private final ModelHistory history;

    public ModelRegistryResource(ModelRegistry registry, ModelHistory history) {
        this.registry = registry;
        this.history = history;
    }

    @RolesAllowed({Roles.LABELER, Roles.ADMIN})
    @GET
    public List<ModelRegistry.Version> list() {
        history.requireCaughtUp();
        return registry.versions();
    }

    @RolesAllowed({Roles.LABELER, Roles.ADMIN})
    @GET
    @Path("/{version}")
    public ModelRegistry.Version get(@PathParam("version") int version) {
        history.requireCaughtUp();
        return registry.version(version).orElseThrow(() -> unknown(version));
    }

    @RolesAllowed({Roles.MODEL_READER, Roles.ADMIN})
    @GET
    @Path("/{version}/bundle")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response bundle(@PathParam("version") int version) {
        return registry.stored(version)
                .map(s -> Response.ok(s.file().toFile(), MediaType.APPLICATION_OCTET_STREAM)
                        .header("X-Argus-Sha256", s.sha256())
                        .header("Content-Disposition", "attachment; filename=\"" + s.file().getFileName() + "\"")
                        .build())
                .orElseThrow(() -> unknown(version));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{version}/promote")
    @Consumes(MediaType.WILDCARD)
    public ModelEvent promote(@PathParam("version") int version, String body) {
        return registry.announce(notChampion(version), ModelStatus.PROMOTED, reason(body, "promoted by hand"), null);
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{version}/rollback")
    @Consumes(MediaType.WILDCARD)
    public ModelEvent rollback(@PathParam("version") int version, String body) {
        StoredModel restored = notChampion(version);
        String reason = reason(body, "rolled back by hand");
        // Without a stored champion to withdraw (none yet, or its bundle is gone) it is a plain restore.
        return registry.storedChampion().map(c -> registry.rollBack(c, restored, reason))
                .orElseGet(() -> registry.announce(restored, ModelStatus.RESTORED, reason, null));
    }

    private StoredModel notChampion(int version) {
        history.requireCaughtUp();
        StoredModel stored = registry.stored(version).orElseThrow(() -> unknown(version));
        if (registry.version(version).map(ModelRegistry.Version::champion).orElse(false)) {
            throw ArgusException.conflict("ALREADY_CHAMPION", "version " + version + " is already the champion");
        }
        return stored;
    }

    private static String reason(String body, String defaultReason) {
        Decision d = JsonBody.read(body, Decision.class);
        return d != null && d.reason() != null && !d.reason().isBlank() ? d.reason().strip() : defaultReason;
    }

    private static ArgusException unknown(int version) {
        return ArgusException.notFound("UNKNOWN_VERSION", "there is no model version " + version);
    }
}
