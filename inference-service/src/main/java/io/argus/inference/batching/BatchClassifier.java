package io.argus.inference.batching;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.inference.outcome.Outcome;
import io.argus.common.contract.Classification;
import io.argus.common.error.ContractViolation;
import io.argus.common.contract.RawImage;
import io.argus.common.image.DecodeMemory;
import io.argus.common.image.DecoderBusy;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.ImageRejected;
import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.Sha256;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.TopK;
import io.argus.inference.InferenceConfig;
import io.argus.inference.metrics.LoopTime;

/**
 * Classifies a batch of raw records: reads each record's contract, decodes and preprocesses the
 * images in parallel with the shared {@link ImagePreprocessor}, runs ONE forward pass over all
 * that decoded (with each image's out-of-distribution score when the model has OOD statistics),
 * and returns one {@link Outcome} per record in order. A bad record becomes a
 * failure outcome; it never fails the batch.
 */
@ApplicationScoped
public class BatchClassifier {

    private final int topK;
    private final long faultDelayMs;
    private final ImageLimitsConfig limits;
    /**
     * Shared by the decode threads: a batch of large images waits for room rather than running out
     * of memory; one that finds none in {@link #DECODE_WAIT} is processed again later.
     */
    private final DecodeMemory memory;
    private static final Duration DECODE_WAIT = Duration.ofSeconds(30);
    private final ExecutorService decoders;
    private final int decodeThreads;
    private volatile ImagePreprocessor preprocessor;
    private float[] batchInput = new float[0];

    public BatchClassifier(InferenceConfig config, ImageLimitsConfig limits) {
        this.topK = config.topK();
        this.faultDelayMs = config.faultBatchDelay().toMillis();
        this.limits = limits;
        this.memory = new DecodeMemory(limits.decodeMemory(), DECODE_WAIT, DecodeMemory.DEFAULT_RETRY_AFTER);
        int threads = config.decodeThreads() > 0 ? config.decodeThreads() : Runtime.getRuntime().availableProcessors();
        this.decodeThreads = threads;
        this.decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "argus-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /** A decoded image, its model input written to its record's slot of the batch input, or why it is not. */
    private record Prepared(RawImage image, double decodeMs, Outcome.Failed failure) {
    }

    /**
     * A batch's outcomes, one per record in order, and the prepared (calibrated) input of each
     * classified record whose image {@code keepInput} asked for (null for the others): what a shadow
     * candidate can take over unchanged.
     */
    public record Result(List<Outcome> outcomes, float[][] inputs) {
    }

    public Result classify(List<ConsumerRecord<String, byte[]>> records, ImageClassifier model) {
        return classify(records, model, LoopTime.NONE, false, imageId -> false);
    }

    /**
     * As {@link #classify(List, ImageClassifier)}, booking decode, forward pass and results to
     * {@code time}. With {@code embeddings}, each classified outcome carries its image's embedding
     * where the engine gives one (drift per sensor reads it); {@code keepInput} says which images'
     * prepared inputs the result keeps (those a shadow candidate will see).
     */
    public synchronized Result classify(List<ConsumerRecord<String, byte[]>> records, ImageClassifier model,
                                        LoopTime time, boolean embeddings, Predicate<String> keepInput) {
        ImagePreprocessor prep = preprocessorFor(model.inputSpec());
        int size = prep.spec().size();
        float[] batch = batchInput(records.size() * size);
        List<Prepared> prepared = decodeAll(records, prep, model, batch);
        time.lap(LoopTime.Phase.DECODE);

        int[] good = IntStream.range(0, prepared.size()).filter(i -> prepared.get(i).failure() == null).toArray();
        // The classified images' inputs, moved up over the slots of those that failed: the model takes the first good.length.
        for (int k = 0; k < good.length; k++) {
            if (good[k] != k) {
                System.arraycopy(batch, good[k] * size, batch, k * size, size);
            }
        }
        ModelPass.Result pass = null;
        double inferenceMs = 0;
        if (good.length > 0) {
            long start = System.nanoTime();
            pass = ModelPass.run(model, batch, good.length, size, embeddings);
            if (faultDelayMs > 0) {
                try {
                    Thread.sleep(faultDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inferenceMs = (System.nanoTime() - start) / 1e6;
        }
        time.lap(LoopTime.Phase.MODEL);

        List<Outcome> outcomes = new ArrayList<>(records.size());
        float[][] inputs = new float[records.size()][];
        Instant now = Instant.now();
        int k = 0;
        for (int i = 0; i < records.size(); i++) {
            Prepared p = prepared.get(i);
            if (p.failure() != null) {
                outcomes.add(p.failure());
            } else if (pass.failed(k)) {
                outcomes.add(new Outcome.Failed(records.get(i), p.image().imageId(), "inference", "MODEL_ERROR",
                        model.id() + " failed on this image: " + pass.errors()[k]));
                k++;
            } else {
                Classification.Ood score = pass.ood() == null ? null
                        : new Classification.Ood(pass.ood()[k], model.ood().orElseThrow().threshold());
                outcomes.add(new Outcome.Classified(records.get(i),
                        result(records.get(i), p, pass.probabilities()[k], score, model, inferenceMs, good.length, now),
                        pass.embeddings() == null ? null : pass.embeddings()[k]));
                if (keepInput.test(p.image().imageId())) {
                    inputs[i] = Arrays.copyOfRange(batch, k * size, (k + 1) * size);
                }
                k++;
            }
        }
        return new Result(outcomes, inputs);
    }

    /**
     * Decodes the batch on the decode threads and this one ({@link SharedWork}): with 28x28 images,
     * handing all of them to the pool and waiting for it cost more than decoding them.
     */
    private List<Prepared> decodeAll(List<ConsumerRecord<String, byte[]>> records, ImagePreprocessor prep,
                                     ImageClassifier model, float[] batch) {
        // DecoderBusy (out of decode memory, not the image's fault) leaves here: the batch is processed again later.
        return SharedWork.map(records.size(), i -> decode(records.get(i), prep, model, batch, i * prep.spec().size()),
                decoders, decodeThreads);
    }

    /**
     * The batch's input array, kept from batch to batch. For 224x224 images a new one was 19 MB per
     * batch and each image's own input 600 KB more, all humongous objects to G1: 133 concurrent
     * cycles in 102 s of a ResNet-18 run (docs/serving.md, "Fewer allocations per batch"). One
     * caller at a time: the classification loop.
     */
    private float[] batchInput(int floats) {
        if (batchInput.length < floats) {
            batchInput = new float[floats];
        }
        return batchInput;
    }

    /** Decodes {@code record}'s image into {@code batch[offset ..]}, calibrated for its sensor. */
    private static Prepared decode(ConsumerRecord<String, byte[]> record, ImagePreprocessor prep,
                                   ImageClassifier model, float[] batch, int offset) {
        long start = System.nanoTime();
        RawImage image;
        try {
            image = RawImage.fromRecord(record);
        } catch (ContractViolation e) {
            return failed(record, position(record), "contract", e.code(), e.getMessage());
        }
        try {
            prep.prepare(image.bytes(), batch, offset);
            SensorCalibration calibration = model.calibrationFor(image.sensorId());
            if (calibration != SensorCalibration.IDENTITY) {
                calibration.apply(batch, offset, prep.spec());
            }
            return new Prepared(image, (System.nanoTime() - start) / 1e6, null);
        } catch (ImageRejected e) {
            return failed(record, image.imageId(), "decode", e.reason().name(), e.getMessage());
        } catch (DecoderBusy e) {
            throw e;
        } catch (RuntimeException e) {
            return failed(record, image.imageId(), "decode", "CORRUPT_IMAGE", e.toString());
        }
    }

    private static Prepared failed(ConsumerRecord<String, byte[]> r, String key, String stage, String code, String msg) {
        return new Prepared(null, 0, new Outcome.Failed(r, key, stage, code, msg));
    }

    private Classification result(ConsumerRecord<String, byte[]> record, Prepared p, float[] probs,
                                  Classification.Ood ood, ImageClassifier model, double inferenceMs, int batchSize, Instant now) {
        List<Classification.LabelScore> top = TopK.of(probs, model.labels(), topK);
        RawImage image = p.image();
        return Classification.builder().image(image.imageId(), image.sensorId(), image.capturedAt()).topK(top)
                .model(model.id().name(), model.id().version())
                .source(new Classification.Source(record.topic(), record.partition(), record.offset(),
                        Sha256.of(record.value())))
                .timings(new Classification.Timings(Instant.ofEpochMilli(record.timestamp()), now, p.decodeMs(),
                        inferenceMs, batchSize))
                .ood(ood)
                .build();
    }

    private ImagePreprocessor preprocessorFor(InputSpec spec) {
        ImagePreprocessor p = preprocessor;
        if (p == null || !p.spec().equals(spec)) {
            p = new ImagePreprocessor(spec, limits.limits(), memory);
            preprocessor = p;
        }
        return p;
    }

    private static String position(ConsumerRecord<String, byte[]> r) {
        return r.topic() + "-" + r.partition() + "-" + r.offset();
    }

    @PreDestroy
    void close() {
        decoders.shutdownNow();
    }
}
