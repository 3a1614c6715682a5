package io.argus.common.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelId;

/**
 * An {@link ImageClassifier} on ONNX Runtime: the model's ONNX graph with all graph optimisations
 * (operator fusion, constant folding), a configured number of threads, the CUDA execution
 * provider when asked for and present (else the CPU, said in the log), and one direct input
 * buffer reused from batch to batch.
 */
public final class OnnxClassifier implements ImageClassifier {

    /** The graph's input ([batch, channels, height, width]) and output ([batch, classes]), as the exporter names them. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "probabilities";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxClassifier.class);

    private final ModelId id;
    private final InputSpec spec;
    private final List<String> labels;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String device;
    private FloatBuffer buffer;

    public OnnxClassifier(ModelId id, InputSpec spec, List<String> labels, byte[] onnx, OnnxSettings settings) {
        this.id = id;
        this.spec = spec;
        this.labels = List.copyOf(labels);
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            options.setInterOpNumThreads(1);
            String where = "CPU";
            if (settings.cuda()) {
                try {
                    options.addCUDA(settings.cudaDevice());
                    where = "CUDA device " + settings.cudaDevice();
                } catch (OrtException | UnsatisfiedLinkError | RuntimeException e) {
                    LOG.warn("No CUDA execution provider ({}); {} runs on the CPU", e.getMessage(), id);
                }
            }
            this.session = env.createSession(onnx, options);
            this.device = where;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + id + ": " + e.getMessage(), e);
        }
    }

    /** Where the session runs: {@code CPU} or {@code CUDA device N}. */
    public String device() {
        return device;
    }

    @Override
    public String engine() {
        return "onnxruntime (" + device + ")";
    }

    @Override
    public ModelId id() {
        return id;
    }

    @Override
    public InputSpec inputSpec() {
        return spec;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    // One run at a time, because the input buffer is shared between batches.
    @Override
    public synchronized float[][] classify(float[] input, int count) {
        int size = count * spec.size();
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        buffer.clear();
        buffer.put(input, 0, size);
        buffer.flip();
        long[] shape = {count, spec.channels(), spec.height(), spec.width()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape);
             OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new IllegalStateException(id + " failed in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing the ONNX session of {}: {}", id, e.getMessage());
        }
    }
}
