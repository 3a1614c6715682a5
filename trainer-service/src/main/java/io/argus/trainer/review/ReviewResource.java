package io.argus.trainer.review;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;

import io.argus.common.contract.RawImage;
import io.argus.common.security.Roles;
import io.argus.common.error.ArgusException;
import io.argus.trainer.labels.Labelers;

/**
 * The review desk's JSON API (the page itself is static, under {@code /}): {@code GET queue},
 * an item's image, and labeling, skipping and undoing. All of it needs a labeler (or admin) key,
 * reads too: the queue names sensors and capture times, and an image is the sensor's original
 * bytes, metadata (EXIF) included.
 */
@Path("/api/review")
@RolesAllowed({Roles.LABELER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    /** Body of a label request. */
    public record LabelRequest(String label, Boolean newClass) {
    }

    private static final int MAX_LIMIT = 200;

    private final ReviewService review;
    private final Labelers labelers;

    public ReviewResource(ReviewService review, Labelers labelers) {
        this.review = review;
        this.labelers = labelers;
    }

    @GET
    @Path("/queue")
    public ReviewService.Queue queue(@QueryParam("order") String order,
                                     @QueryParam("limit") @DefaultValue("20") int limit) {
        try {
            return review.queue(ReviewQueue.Order.parse(order), Math.max(1, Math.min(limit, MAX_LIMIT)));
        } catch (IllegalArgumentException e) {
            throw ArgusException.invalid("INVALID_REQUEST", e.getMessage());
        }
    }

    @GET
    @Path("/items/{imageId}/image")
    @Produces(MediaType.WILDCARD)
    public Response image(@PathParam("imageId") String imageId) {
        RawImage raw = review.image(imageId);
        return Response.ok(raw.bytes()).type(raw.contentType() != null ? raw.contentType()
                : MediaType.APPLICATION_OCTET_STREAM).header("Cache-Control", "private, max-age=3600").build();
    }

    @POST
    @Path("/items/{imageId}/label")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response label(@PathParam("imageId") String imageId, LabelRequest request,
                          @RestHeader("X-Labeler") String labeler) {
        return Response.status(201).entity(review.label(imageId, request == null ? null : request.label(),
                request != null && Boolean.TRUE.equals(request.newClass()), labelers.who(labeler))).build();
    }

    @DELETE
    @Path("/items/{imageId}/label")
    public void undo(@PathParam("imageId") String imageId) {
        review.undo(imageId);
    }

    @POST
    @Path("/items/{imageId}/skip")
    public void skip(@PathParam("imageId") String imageId) {
        review.skip(imageId, true);
    }

    @DELETE
    @Path("/items/{imageId}/skip")
    public void unskip(@PathParam("imageId") String imageId) {
        review.skip(imageId, false);
    }
}
