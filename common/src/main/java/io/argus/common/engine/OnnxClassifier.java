package io.argus.common.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelId;

/**
 * An {@link ImageClassifier} on ONNX Runtime: the model's ONNX graph with all graph optimisations
 * (operator fusion, constant folding), a configured number of threads, the CUDA execution
 * provider when asked for and usable (else the CPU, with a warning saying why: no CUDA provider in
 * this build, its libraries missing, or no usable GPU when the session is made), and one direct
 * input buffer reused from batch to batch.
 */
public final class OnnxClassifier extends EngineClassifier {

    /** The graph's input ([batch, channels, height, width]) and output ([batch, classes]), as the exporter names them. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "probabilities";
    /** The second output, [batch, features]: the penultimate-layer embedding (graphs exported before it lack it). */
    public static final String EMBEDDING = "embedding";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxClassifier.class);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String device;
    private final String cudaUnavailable;
    private final boolean hasEmbedding;
    private FloatBuffer buffer;

    public OnnxClassifier(ModelId id, InputSpec spec, List<String> labels, byte[] onnx, OnnxSettings settings) {
        super(id, spec, labels);
        OrtSession opened = null;
        String where = "CPU";
        String why = null;
        try {
            if (settings.cuda()) {
                try {
                    OrtSession.SessionOptions options = options(settings);
                    options.addCUDA(settings.cudaDevice());
                    opened = env.createSession(onnx, options);
                    where = "CUDA device " + settings.cudaDevice();
                } catch (OrtException | UnsatisfiedLinkError | RuntimeException e) {
                    // No provider in this build, its libraries missing, or no usable device.
                    why = cudaProblem(e);
                    LOG.warn("CUDA was asked for (device {}) and is not available: {}; {} runs on the CPU",
                            settings.cudaDevice(), why, id);
                }
            }
            if (opened == null) {
                opened = env.createSession(onnx, options(settings));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + id + ": " + e.getMessage(), e);
        }
        this.session = opened;
        this.hasEmbedding = opened.getOutputNames().contains(EMBEDDING);
        this.device = where;
        this.cudaUnavailable = why;
    }

    /**
     * Why the CUDA execution provider cannot be used on {@code device}, as far as can be told
     * without a model (the provider is in this build of ONNX Runtime and its libraries load); empty
     * if it can. A GPU that is missing or busy shows only when a session is made: see
     * {@link #cudaUnavailable()}.
     */
    public static Optional<String> cudaProblem(int device) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(device);
            return Optional.empty();
        } catch (OrtException | UnsatisfiedLinkError | RuntimeException e) {
            return Optional.of(cudaProblem(e));
        }
    }

    private static String cudaProblem(Throwable e) {
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (!providers.contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA execution provider (it has " + providers
                    + "; the GPU build is -Pgpu, onnxruntime_gpu)";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static OrtSession.SessionOptions options(OnnxSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        if (settings.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
        }
        options.setInterOpNumThreads(1);
        // ONNX Runtime spins by default; its own docs suggest turning it off where the cores are shared.
        options.addConfigEntry("session.intra_op.allow_spinning", settings.spinning() ? "1" : "0");
        return options;
    }

    /** Where the session runs: {@code CPU} or {@code CUDA device N}. */
    public String device() {
        return device;
    }

    /** Why CUDA was asked for and the session runs on the CPU instead; empty if it was not asked for or runs on it. */
    public Optional<String> cudaUnavailable() {
        return Optional.ofNullable(cudaUnavailable);
    }

    @Override
    public String engine() {
        return "onnxruntime (" + device + ")";
    }

    @Override
    public float[][] classify(float[] input, int count) {
        return run(input, count, false).probabilities();
    }

    @Override
    public Forward forward(float[] input, int count) {
        return run(input, count, hasEmbedding);
    }

    /** Whether the graph has the {@value #EMBEDDING} output (graphs exported before it do not). */
    public boolean hasEmbedding() {
        return hasEmbedding;
    }

    // One run at a time, because the input buffer is shared between batches.
    private synchronized Forward run(float[] input, int count, boolean embedding) {
        int size = count * inputSpec().size();
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        buffer.clear();
        buffer.put(input, 0, size);
        buffer.flip();
        // Only the outputs asked for are fetched; the embedding is computed on the way anyway.
        Set<String> outputs = embedding ? Set.of(OUTPUT, EMBEDDING) : Set.of(OUTPUT);
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, batchShape(count));
             OrtSession.Result result = session.run(Map.of(INPUT, tensor), outputs)) {
            float[][] probabilities = (float[][]) result.get(OUTPUT).orElseThrow().getValue();
            return new Forward(probabilities, embedding ? (float[][]) result.get(EMBEDDING).orElseThrow().getValue()
                    : null);
        } catch (OrtException e) {
            throw new IllegalStateException(id() + " failed in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing the ONNX session of {}: {}", id(), e.getMessage());
        }
    }
}
