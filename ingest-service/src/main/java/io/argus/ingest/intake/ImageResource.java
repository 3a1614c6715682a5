package io.argus.ingest.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.argus.common.error.ArgusException;
import io.argus.common.error.ErrorBody;
import io.argus.common.error.Problem;
import io.argus.common.security.Roles;
import io.argus.common.contract.RawImage;
import io.argus.common.image.ImageFormat;
import io.argus.ingest.IngestConfig;
import io.argus.ingest.metrics.IngestMetrics;
import io.argus.ingest.publishing.RawImagePublisher;
import io.argus.ingest.validation.ImageValidator;

/**
 * {@code POST /api/images}: one image as the raw request body, or many as a multipart form. Every
 * file is checked before anything is published; the answer is 202 only once Kafka has stored
 * every image of the request, and 503 with Retry-After when Kafka or the decoders have no room.
 */
@Path("/api/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {

    private final ImageValidator validator;
    private final RawImagePublisher publisher;
    private final IngestConfig config;
    private final IngestMetrics metrics;

    public ImageResource(ImageValidator validator, RawImagePublisher publisher, IngestConfig config,
                         IngestMetrics metrics) {
        this.validator = validator;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * One image, the file's bytes as the body. Optional headers: {@code X-Sensor-Id},
     * {@code X-Captured-At} (ISO-8601), {@code X-Image-Id}, {@code X-Argus-Meta} (JSON object).
     */
    @RolesAllowed(Roles.SENSOR)
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response upload(byte[] body,
                           @RestHeader("Content-Type") String contentType,
                           @RestHeader("X-Sensor-Id") String sensorId,
                           @RestHeader("X-Captured-At") String capturedAt,
                           @RestHeader("X-Image-Id") String imageId,
                           @RestHeader("X-Argus-Meta") String meta) {
        String sensor = sensorId == null ? config.defaultSensorId() : sensorId;
        RawImage image;
        try {
            image = image(body, contentType, RequestFields.imageId(imageId),
                    RequestFields.sensorId(sensorId, config.defaultSensorId()),
                    RequestFields.capturedAt(capturedAt, Instant.now()), RequestFields.meta(meta));
        } catch (ArgusException r) {
            int bytes = body == null ? 0 : body.length;
            if (r.problem() == Problem.UNAVAILABLE) {
                metrics.unavailable(r.code(), sensor, bytes);
            } else {
                metrics.refused(r.code(), sensor, bytes);
            }
            throw r;
        }
        RecordMetadata stored = publish(image);
        return Response.accepted(accepted(image, null, stored)).build();
    }

    /**
     * Many images as {@code multipart/form-data}: files in parts named {@code file}, optional form
     * fields {@code sensorId} and {@code capturedAt} for all of them. All or nothing: if any file
     * is refused, none is published and the answer lists each refused file; if a file finds no
     * room to be decoded, none is published and the answer is 503, for the whole batch to be sent again.
     */
    @RolesAllowed(Roles.SENSOR)
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadBatch(@RestForm("file") List<FileUpload> files,
                                @RestForm String sensorId,
                                @RestForm String capturedAt) {
        try {
            return batch(files, sensorId, capturedAt);
        } catch (ArgusException r) {
            if (r.details().isEmpty() && r.problem() != Problem.UNAVAILABLE) {
                metrics.refused(r.code(), sensorId == null ? config.defaultSensorId() : sensorId, 0);
            }
            throw r;
        }
    }

    private Response batch(List<FileUpload> files, String sensorId, String capturedAt) {
        if (files == null || files.isEmpty()) {
            throw ArgusException.invalid("EMPTY", "the form has no parts named 'file'");
        }
        if (files.size() > config.maxBatchFiles()) {
            throw new ArgusException(Problem.TOO_LARGE, "TOO_MANY_FILES",
                    files.size() + " files in one request; the limit is " + config.maxBatchFiles());
        }
        String sensor = RequestFields.sensorId(sensorId, config.defaultSensorId());
        Instant captured = RequestFields.capturedAt(capturedAt, Instant.now());

        List<RawImage> images = new ArrayList<>(files.size());
        List<ErrorBody.Detail> refused = new ArrayList<>();
        for (FileUpload file : files) {
            try {
                images.add(image(read(file), file.contentType(), RequestFields.imageId(null), sensor, captured, null));
            } catch (ArgusException r) {
                if (r.problem() == Problem.UNAVAILABLE) {
                    // No room to decode now says nothing about the files: the whole batch may come back.
                    files.forEach(f -> metrics.unavailable(r.code(), sensor, (int) f.size()));
                    throw r;
                }
                refused.add(new ErrorBody.Detail(file.fileName(), r.code(), r.getMessage()));
            }
        }
        if (!refused.isEmpty()) {
            refused.forEach(r -> metrics.refused(r.code(), sensor, 0));
            throw new ArgusException(Problem.UNPROCESSABLE, "BATCH_REFUSED", refused.size() + " of " + files.size()
                    + " files were refused; nothing was published", refused, null, null);
        }
        List<RecordMetadata> stored;
        try {
            stored = publisher.publishAll(images);
        } catch (ArgusException e) {
            images.forEach(i -> metrics.unavailable(i.sensorId(), i.bytes().length));
            throw e;
        }
        images.forEach(i -> metrics.accepted(i.sensorId(), i.bytes().length));
        List<Accepted> accepted = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            accepted.add(accepted(images.get(i), files.get(i).fileName(), stored.get(i)));
        }
        return Response.accepted(new BatchAccepted(accepted.size(), accepted)).build();
    }

    private RecordMetadata publish(RawImage image) {
        try {
            RecordMetadata stored = publisher.publish(image);
            metrics.accepted(image.sensorId(), image.bytes().length);
            return stored;
        } catch (ArgusException e) {
            metrics.unavailable(image.sensorId(), image.bytes().length);
            throw e;
        }
    }

    private RawImage image(byte[] bytes, String declaredType, String imageId, String sensorId, Instant capturedAt,
                           String meta) {
        ImageFormat format = validator.check(bytes, declaredType);
        return new RawImage(imageId, sensorId, capturedAt, format.mimeType(), meta, bytes);
    }

    private static Accepted accepted(RawImage image, String file, RecordMetadata stored) {
        return new Accepted(image.imageId(), image.sensorId(), image.capturedAt(), image.contentType(),
                image.bytes().length, file, stored.partition(), stored.offset());
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
