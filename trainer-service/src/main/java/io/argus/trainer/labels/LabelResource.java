package io.argus.trainer.labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.argus.common.contract.RawImage;
import io.argus.common.security.Roles;
import io.argus.common.error.ArgusException;

/**
 * Labels in: {@code POST /api/labels} with {@code {"imageId", "label"}} (and, when the image id
 * names several raw records, {@code "raw": {"partition", "offset", "sha256"}}) for an image Argus
 * classified, or multipart ({@code file}, {@code label}, optional {@code sampleId}, {@code sensorId},
 * {@code capturedAt}, {@code newClass}) to upload one;
 * {@code POST /api/labels/batch} with {@code {"labels": [...]}} for many (all or nothing);
 * {@code DELETE /api/labels/{sampleId}}; {@code GET /api/labels/stats}. The labeler is the
 * {@code X-Labeler} header (or form field {@code labeler}). All of it needs a labeler (or admin)
 * key, reads too: a sample names who labeled it, and the stats count samples per sensor.
 */
@Path("/api/labels")
@RolesAllowed({Roles.LABELER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class LabelResource {

    /** Body of a batch request. */
    public record Batch(List<LabelService.ByImage> labels) {
    }

    private final LabelService labels;
    private final Labelers labelers;

    public LabelResource(LabelService labels, Labelers labelers) {
        this.labels = labels;
        this.labelers = labelers;
    }

    private Labelers.Labeler who(String claimed) {
        return labelers.who(claimed);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response labelImage(LabelService.ByImage request, @RestHeader("X-Labeler") String labeler) {
        if (request == null) {
            throw ArgusException.invalid("INVALID_REQUEST", "send {\"imageId\": ..., \"label\": ...}");
        }
        return Response.status(201).entity(labels.labelImages(List.of(request), who(labeler)).get(0)).build();
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response labelImages(Batch batch, @RestHeader("X-Labeler") String labeler) {
        List<LabelService.Labeled> done = labels.labelImages(batch == null ? null : batch.labels(), who(labeler));
        return Response.status(201).entity(done).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm("file") FileUpload file, @RestForm String label, @RestForm String sampleId,
                           @RestForm String sensorId, @RestForm String capturedAt, @RestForm String newClass,
                           @RestForm("labeler") String formLabeler, @RestHeader("X-Labeler") String labeler) {
        if (file == null) {
            throw ArgusException.invalid("EMPTY", "the form has no part named 'file'");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LabelService.Upload upload = new LabelService.Upload(bytes, label, sampleId, sensorId,
                capturedAt == null || capturedAt.isBlank() ? null : RawImage.parseInstant(capturedAt.strip()),
                "true".equalsIgnoreCase(newClass));
        return Response.status(201).entity(labels.upload(upload, who(labeler != null ? labeler : formLabeler))).build();
    }

    // Sample ids may hold slashes (site-3/cam-1/0001, as image ids may): the template takes them all.
    @DELETE
    @Path("/{sampleId: .+}")
    public void delete(@PathParam("sampleId") String sampleId) {
        labels.delete(sampleId);
    }

    @GET
    @Path("/stats")
    public LabelService.Stats stats() {
        return labels.stats();
    }

    @GET
    @Path("/{sampleId: .+}")
    public LabelIndex.Entry get(@PathParam("sampleId") String sampleId) {
        return labels.sample(sampleId);
    }
}
