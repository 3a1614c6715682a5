package io.argus.inference.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
 *   <li>{@code argus_inference_commit_seconds}: one commit of a group of batches (exactly once: the transaction
 *       with their outputs and offsets; at least once: the sends and the offset commit), failed ones included:
 *       at a steady rate a result waits for about one commit before it is sent and one more until it is
 *       visible, so this is where a latency that grows without the model growing shows first</li>
 * </ul>
 * All timers and the batch size publish histogram buckets, so Prometheus computes percentiles.
 *
 * <p>Counters are looked up in the registry once per tag combination and kept: a lookup builds
 * the meter's id and sorts and hashes its tags, per image (5% of the classification thread's
 * time on 28x28 images in a JFR profile). The tags are the model's labels, model versions and
 * fixed reason codes; the cache forgets all it holds when it reaches {@value #MAX_CACHED}
 * combinations (the registry keeps the meters, a later lookup finds them there).
 */
@ApplicationScoped
public class InferenceMetrics {

    static final int MAX_CACHED = 10_000;

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer model;
    private final Timer decode;
    private final Timer fromIngest;
    private final Timer fromCapture;
    private final Timer commit;

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
        this.commit = Timer.builder("argus.inference.commit")
                .description("One commit of a group of batches: their outputs and offsets")
                .publishPercentileHistogram().register(meters);
    }

    /** The timer of commits (recorded on the commit thread). */
    public Timer commits() {
        return commit;
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
                counter("argus.images.classified", "Images classified, by label and model version",
                        "label", r.label(), "model_version", Integer.toString(r.modelVersion())).increment();
                decode.record((long) (r.timings().decodeMs() * 1e6), TimeUnit.NANOSECONDS);
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
                counter("argus.images.dead.lettered", "Records sent to the DLQ, by stage and reason",
                        "stage", f.stage(), "reason", f.code()).increment();
            }
        }
    }

    /** Records a result that wanted review but found its per-minute cap used up. */
    public void reviewCapped(String reason) {
        counter("argus.images.review.capped",
                "Results that wanted review but found their per-minute cap used up, by reason", "reason", reason)
                .increment();
    }

    /** Records a batch put back because its decoders had no memory; it is read again after a pause. */
    public void decoderBusy() {
        counter("argus.inference.decoder.busy", "Batches put back to be decoded again: the decoders had no memory")
                .increment();
    }

    /** Records a result routed to review. */
    public void reviewed(String reason) {
        counter("argus.images.review", "Results sent to review, by reason", "reason", reason).increment();
    }

    /** How many tag combinations the cache holds now. */
    int cached() {
        return counters.size();
    }

    /** The counter of this name and tags (key, value, ...), from the registry the first time only. */
    private Counter counter(String name, String description, String... tags) {
        String key = name + '\n' + String.join("\n", tags);
        Counter counter = counters.get(key);
        if (counter == null) {
            if (counters.size() >= MAX_CACHED) {
                counters.clear();
            }
            counter = Counter.builder(name).description(description).tags(tags).register(meters);
            counters.put(key, counter);
        }
        return counter;
    }
}
