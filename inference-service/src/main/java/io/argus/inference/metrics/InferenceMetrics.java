package io.argus.inference.metrics;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.Classification;
import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What inference measures, for committed batches only (a batch processed twice counts once):
 * <ul>
 *   <li>{@code argus_images_classified_total{label, model_version}}</li>
 *   <li>{@code argus_images_review_total{reason}} (unlike_training_data, low_confidence, small_margin, random_sample,
 *       sensor_drifted),
 *       {@code argus_images_review_capped_total{reason}}, {@code argus_images_dead_lettered_total{stage, reason}}</li>
 *   <li>{@code argus_inference_batch_size} (histogram), {@code argus_inference_model_seconds} (forward pass per
 *       batch), {@code argus_inference_decode_seconds} (per image)</li>
 *   <li>{@code argus_inference_latency_seconds{from="ingest|capture"}}: from ingest writing the image (or the
 *       sensor taking it) to its classification</li>
 * </ul>
 * All timers and the batch size publish histogram buckets, so Prometheus computes percentiles.
 */
@ApplicationScoped
public class InferenceMetrics {

    private final MeterRegistry meters;
    private final DistributionSummary batchSize;
    private final Timer model;
    private final Timer decode;
    private final Timer fromIngest;
    private final Timer fromCapture;

    public InferenceMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.batchSize = DistributionSummary.builder("argus.inference.batch.size")
                .description("Images per forward pass").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(meters);
        this.model = Timer.builder("argus.inference.model").description("Forward pass of one batch")
                .publishPercentileHistogram().register(meters);
        this.decode = Timer.builder("argus.inference.decode").description("Decode and preprocess of one image")
                .publishPercentileHistogram().register(meters);
        this.fromIngest = latency("ingest");
        this.fromCapture = latency("capture");
    }

    private Timer latency(String from) {
        return Timer.builder("argus.inference.latency")
                .description("From ingest writing the image (or the sensor taking it) to its classification")
                .tag("from", from).publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
    }

    /** Records a batch whose outputs were committed. */
    public void committed(RawBatch batch, List<Outcome> outcomes) {
        boolean forwardCounted = false;
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Classified c) {
                Classification r = c.result();
                Counter.builder("argus.images.classified").description("Images classified, by label and model version")
                        .tag("label", r.label()).tag("model_version", Integer.toString(r.modelVersion()))
                        .register(meters).increment();
                decode.record(Duration.ofNanos((long) (r.timings().decodeMs() * 1e6)));
                if (!forwardCounted) {
                    batchSize.record(r.timings().batchSize());
                    model.record(Duration.ofNanos((long) (r.timings().inferenceMs() * 1e6)));
                    forwardCounted = true;
                }
                Duration ingest = Duration.between(r.timings().ingestedAt(), r.timings().classifiedAt());
                if (!ingest.isNegative()) {
                    fromIngest.record(ingest);
                }
                Duration capture = Duration.between(r.capturedAt(), r.timings().classifiedAt());
                if (!capture.isNegative()) {
                    fromCapture.record(capture);
                }
            } else if (o instanceof Outcome.Failed f) {
                Counter.builder("argus.images.dead.lettered").description("Records sent to the DLQ, by stage and reason")
                        .tag("stage", f.stage()).tag("reason", f.code()).register(meters).increment();
            }
        }
    }

    /** Records a result that wanted review but found its per-minute cap used up. */
    public void reviewCapped(String reason) {
        Counter.builder("argus.images.review.capped")
                .description("Results that wanted review but found their per-minute cap used up, by reason")
                .tag("reason", reason).register(meters).increment();
    }

    /** Records a result routed to review. */
    public void reviewed(String reason) {
        Counter.builder("argus.images.review").description("Results sent to review, by reason")
                .tag("reason", reason).register(meters).increment();
    }
}
