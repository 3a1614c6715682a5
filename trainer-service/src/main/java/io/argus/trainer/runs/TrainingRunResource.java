package io.argus.trainer.runs;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.argus.common.security.Roles;
import io.argus.common.error.ArgusException;
import io.argus.trainer.JsonBody;

/**
 * {@code POST /api/training-runs} starts a run now (body optional: base, strategy, maxEpochs,
 * minSteps, learning rates, replay, prune; checked now, 400 naming what is allowed; 409 while one
 * runs); {@code DELETE /api/training-runs/{id}} cancels a running one; {@code GET /api/training-runs} lists recent runs, newest
 * first; {@code GET /api/training-runs/{id}} shows phase, epoch, loss, validation accuracy, ETA
 * and, when done, the candidate version and the gate's decision.
 */
@Path("/api/training-runs")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingRunResource {

    private final TrainingRunner runner;

    public TrainingRunResource(TrainingRunner runner) {
        this.runner = runner;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(String body) {
        TrainingRun run = runner.start(JsonBody.read(body, RunRequest.class), "requested");
        return Response.accepted(run.view()).header("Location", "/api/training-runs/" + run.id()).build();
    }

    @RolesAllowed({Roles.LABELER, Roles.ADMIN})
    @GET
    public List<TrainingRun.View> list() {
        return runner.all();
    }

    /** Cancels a run in progress: it stops at its next step and stores nothing. */
    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    public TrainingRun.View cancel(@PathParam("id") String id) {
        return runner.cancel(id);
    }

    @RolesAllowed({Roles.LABELER, Roles.ADMIN})
    @GET
    @Path("/{id}")
    public TrainingRun.View get(@PathParam("id") String id) {
        return runner.get(id)
                .orElseThrow(() -> ArgusException.notFound("UNKNOWN_RUN", "there is no training run " + id));
    }
}
