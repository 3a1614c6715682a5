package io.argus.tools.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

import io.argus.common.engine.Engine;
import io.argus.common.engine.OnnxSettings;

/**
 * An engine as the bench runs it: a serving {@link Engine} and, for ONNX Runtime, whether its CUDA
 * execution provider is asked for. {@code onnx-cuda} is what inference-service runs with
 * {@code argus.inference.onnx.cuda=true}: the same {@link OnnxSettings}, so the same provider choice.
 */
enum BenchEngine {

    ONNX(Engine.ONNX, false),
    /** ONNX Runtime's CUDA execution provider, device 0; needs the GPU build ({@code -Pgpu}) and a GPU. */
    ONNX_CUDA(Engine.ONNX, true),
    DL4J(Engine.DL4J, false);

    private final Engine engine;
    private final boolean cuda;

    BenchEngine(Engine engine, boolean cuda) {
        this.engine = engine;
        this.cuda = cuda;
    }

    Engine engine() {
        return engine;
    }

    boolean cuda() {
        return cuda;
    }

    /** The ONNX Runtime settings of this engine, from the bench's CPU ones. */
    OnnxSettings onnx(OnnxSettings cpu) {
        return cpu.withCuda(cuda);
    }

    /** The inference-service configuration that selects this engine. */
    Map<String, String> serviceConfig() {
        return Map.of("argus.inference.engine", engine.toString(),
                "argus.inference.onnx.cuda", Boolean.toString(cuda));
    }

    /** {@code onnx}, {@code onnx-cuda} or {@code dl4j}, as on the command line and in the JSON. */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static BenchEngine parse(String name) {
        return Arrays.stream(values()).filter(e -> e.toString().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name + "'; known: " + NAMES));
    }

    static final List<String> NAMES = Arrays.stream(values()).map(BenchEngine::toString).toList();
}
