package io.argus.inference.shadow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.contract.ShadowResult;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.TopK;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.SensorCalibration;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.ModelId;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.model.CurrentModel;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the shadow candidate beside the champion, on a thread of its own: the stream hands it the
 * images of each committed batch ({@link #committed}) and goes on at once. The candidate classifies
 * them in one forward pass, reusing the champion's prepared inputs when it prepares images the same
 * way, and one {@link ShadowResult} per image goes to {@code argus.images.shadow}, keyed by image id.
 *
 * <p>The champion's path is never made to wait: at most {@code queue-batches} batches wait here,
 * and a batch that finds the queue full is not shadowed (counted). A batch is handed over only
 * once its results are committed, so an image processed twice (a commit that failed) is shadowed
 * once.
 *
 * <p>The shadow records are written by a producer of their own, outside the champion's
 * transaction: a candidate's failure or a slow shadow topic must never abort or hold up the
 * exactly-once outputs, and the shadow records are evidence for a decision, not outputs anyone
 * reads as results. The price: a crash between a batch's commit and its shadow records loses
 * those records, and at least once ({@code exactly-once=false}) a batch repeated after a crash is
 * shadowed again (readers key on the image id).
 */
@ApplicationScoped
public class ShadowRunner {

    private static final Logger LOG = Logger.getLogger(ShadowRunner.class);

    private final ShadowCandidate candidate;
    private final ShadowSampling sampling;
    private final ShadowMetrics metrics;
    private final ImageLimitsConfig limits;
    private final KafkaClients kafka;
    private final String topic;
    private final BlockingQueue<List<ShadowImage>> queue;
    private volatile boolean running = true;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;
    private ImagePreprocessor preprocessor;
    /** The last candidate whose failure was logged: a failing candidate logs once, not once per batch. */
    private ModelId loggedFailure;

    @Inject
    public ShadowRunner(ShadowConfig config, ShadowCandidate candidate, ShadowMetrics metrics,
                        ImageLimitsConfig limits, KafkaClients kafka, TopicsConfig topics) {
        this(config, candidate, metrics, limits, kafka, topics.shadow());
    }

    ShadowRunner(ShadowConfig config, ShadowCandidate candidate, ShadowMetrics metrics, ImageLimitsConfig limits,
                 KafkaClients kafka, String topic) {
        this.candidate = candidate;
        this.sampling = new ShadowSampling(config.share());
        this.metrics = metrics;
        this.limits = limits;
        this.kafka = kafka;
        this.topic = topic;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, config.queueBatches()));
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "argus-shadow");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the stream should keep this image's input for the candidate: one runs, and the share picks it. */
    public boolean wants(String imageId) {
        return candidate.running() && sampling.picks(imageId);
    }

    /** Takes the shadowed images of a committed batch; never blocks. */
    public void committed(List<ShadowImage> images) {
        if (!images.isEmpty() && !queue.offer(images)) {
            metrics.dropped(images.size());
        }
    }

    private void run() {
        while (running) {
            try {
                List<ShadowImage> images = queue.poll(200, TimeUnit.MILLISECONDS);
                if (images != null) {
                    shadow(images);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(e, "Shadowing a batch failed; the champion serves as ever");
                }
            }
        }
    }

    private void shadow(List<ShadowImage> images) {
        Optional<CurrentModel.Lease> lease = candidate.lease();
        if (lease.isEmpty()) {
            return;
        }
        try (CurrentModel.Lease l = lease.get()) {
            ImageClassifier model = l.classifier();
            int size = model.inputSpec().size();
            List<ShadowImage> ready = new ArrayList<>(images.size());
            float[] batch = new float[images.size() * size];
            for (ShadowImage image : images) {
                float[] input = inputFor(image, model);
                if (input == null) {
                    metrics.failed(image.champion().result().sensorId());
                    continue;
                }
                System.arraycopy(input, 0, batch, ready.size() * size, size);
                ready.add(image);
            }
            if (ready.isEmpty()) {
                return;
            }
            float[][] probabilities;
            try {
                probabilities = model.classify(batch, ready.size());
            } catch (RuntimeException e) {
                logOnce(model.id(), "its forward pass failed: " + e);
                ready.forEach(i -> metrics.failed(i.champion().result().sensorId()));
                return;
            }
            Instant now = Instant.now();
            for (int k = 0; k < ready.size(); k++) {
                write(ready.get(k).champion().result(), model, probabilities[k], now);
            }
        }
    }

    private void write(Classification champion, ImageClassifier model, float[] probabilities, Instant now) {
        Classification.LabelScore best = TopK.of(probabilities, model.labels(), 1).get(0);
        ShadowResult result = new ShadowResult(ShadowResult.SCHEMA_VERSION, champion.imageId(), champion.sensorId(),
                champion.capturedAt(), champion.modelName(),
                new ShadowResult.Answer(champion.modelVersion(), champion.label(), champion.confidence()),
                new ShadowResult.Answer(model.id().version(), best.label(), best.confidence()), champion.source(), now);
        metrics.answered(champion.sensorId(), result.agrees());
        producer().send(new ProducerRecord<>(topic, champion.imageId(), Json.write(result)), (meta, e) -> {
            if (e != null) {
                LOG.warnf("Could not write the shadow result of image %s to %s: %s", champion.imageId(), topic,
                        e.toString());
            }
        });
    }

    /**
     * The candidate's input for an image: the champion's own when both prepare it the same way, else
     * the image decoded and prepared again for the candidate; null if that fails.
     */
    private float[] inputFor(ShadowImage image, ImageClassifier model) {
        String sensor = image.champion().result().sensorId();
        SensorCalibration calibration = model.calibrationFor(sensor);
        if (image.spec().equals(model.inputSpec()) && image.calibration().equals(calibration)) {
            return image.input();
        }
        ConsumerRecord<String, byte[]> record = image.champion().source();
        try {
            return preprocessorFor(model).prepare(RawImage.fromRecord(record).bytes(), calibration);
        } catch (RuntimeException e) {
            logOnce(model.id(), "it could not prepare image " + image.champion().result().imageId() + ": " + e);
            return null;
        }
    }

    private ImagePreprocessor preprocessorFor(ImageClassifier model) {
        if (preprocessor == null || !preprocessor.spec().equals(model.inputSpec())) {
            preprocessor = new ImagePreprocessor(model.inputSpec(), limits.limits());
        }
        return preprocessor;
    }

    private void logOnce(ModelId model, String what) {
        if (!model.equals(loggedFailure)) {
            loggedFailure = model;
            LOG.warnf("Shadow candidate %s: %s (counted in argus_shadow_images_total{result=\"failed\"}; logged once "
                    + "per candidate)", model, what);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = kafka.reliableProducer("argus-inference-shadow", KafkaClients.Payload.JSON);
        }
        return producer;
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
        synchronized (this) {
            if (producer != null) {
                producer.close();
            }
        }
    }
}
