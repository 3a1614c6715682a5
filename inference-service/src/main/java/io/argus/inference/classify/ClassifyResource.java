package io.argus.inference.classify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;

import io.argus.common.contract.Classification;
import io.argus.common.error.ArgusException;
import io.argus.common.image.DecodeMemory;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.TopK;
import io.argus.common.security.Roles;
import io.argus.inference.InferenceConfig;
import io.argus.inference.model.CurrentModel;

/**
 * {@code POST /api/classify}: one image as the body, its classification as the answer, from the
 * same model and preprocessing as the stream. Nothing is published.
 */
@Path("/api/classify")
public class ClassifyResource {

    /** The synchronous answer. */
    public record Answer(String label, double confidence, List<Classification.LabelScore> topK, String modelName,
                         int modelVersion, double decodeMs, double inferenceMs, Instant classifiedAt) {
    }

    private final CurrentModel current;
    private final ImageLimitsConfig limits;
    /**
     * This endpoint's own budget of {@code argus.images.decode-memory}: a burst of large images here
     * waits {@code decode-wait} for room, then is answered 503 DECODER_BUSY, and never takes the
     * stream's budget (the stream waits out a busy decoder; a request can be sent again).
     */
    private final DecodeMemory memory;
    private final int topK;

    public ClassifyResource(CurrentModel current, ImageLimitsConfig limits, InferenceConfig config) {
        this.current = current;
        this.limits = limits;
        this.memory = DecodeMemory.of(limits, DecodeMemory.DEFAULT_RETRY_AFTER);
        this.topK = config.topK();
    }

    /** The budget this endpoint's decodes claim their memory from. */
    public DecodeMemory decodeMemory() {
        return memory;
    }

    @RolesAllowed(Roles.SENSOR)
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response classify(byte[] body, @RestHeader("X-Sensor-Id") String sensorId) {
        var lease = current.lease();
        if (lease.isEmpty()) {
            throw ArgusException.unavailable("NO_MODEL", "no model is loaded yet; retry later", Duration.ofSeconds(5),
                    null);
        }
        try (CurrentModel.Lease model = lease.get()) {
            ImageClassifier classifier = model.classifier();
            long start = System.nanoTime();
            // The sensor's calibration of this model version, as the stream applies it.
            float[] input = new ImagePreprocessor(classifier.inputSpec(), limits.limits(), memory).prepare(body,
                    classifier.calibrationFor(sensorId));
            double decodeMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            float[] probs = classifier.classify(input, 1)[0];
            double inferenceMs = (System.nanoTime() - start) / 1e6;
            List<Classification.LabelScore> top = TopK.of(probs, classifier.labels(), topK);
            return Response.ok(new Answer(top.get(0).label(), top.get(0).confidence(), top, classifier.id().name(),
                    classifier.id().version(), decodeMs, inferenceMs, Instant.now())).build();
        }
    }
}
