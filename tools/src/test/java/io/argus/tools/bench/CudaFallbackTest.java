package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.argus.common.engine.OnnxClassifier;

/**
 * CUDA asked for and not there is said, never measured as if it were: the bench's own check uses
 * the service's code ({@code OnnxClassifier}), and a service started for CUDA that loaded its model
 * on the CPU is caught from what it logged.
 */
class CudaFallbackTest {

    @TempDir
    Path dir;

    @Test
    void aServiceAskedForCudaThatLoadedOnTheCpuIsCaughtWithTheReasonItLogged() throws IOException {
        Path log = dir.resolve("inference.log");
        Files.writeString(log, """
                10:00:01.000 WARN  [inference] i.a.c.e.OnnxClassifier - CUDA was asked for (device 0) and is not \
                available: this ONNX Runtime build has no CUDA execution provider (it has [CPU]; the GPU build is \
                -Pgpu, onnxruntime_gpu); bench-v1 runs on the CPU
                10:00:01.200 INFO  [inference] i.a.i.m.ModelLoader - Loaded bench-v1 (1000 labels, input 224x224x3) \
                on onnxruntime (CPU) in 800 ms
                """);
        String loaded = "Loaded bench-v1 (1000 labels, input 224x224x3) on onnxruntime (CPU) in 800 ms";

        assertThat(EndToEnd.notOnCuda(BenchEngine.ONNX_CUDA, loaded, log)).get().asString()
                .contains("argus.inference.onnx.cuda=true", "onnxruntime (CPU)", "no CUDA execution provider", "-Pgpu");
        assertThat(EndToEnd.notOnCuda(BenchEngine.ONNX, loaded, log)).as("CUDA not asked for").isEmpty();
        assertThat(EndToEnd.notOnCuda(BenchEngine.ONNX_CUDA,
                "Loaded bench-v1 (1000 labels, input 224x224x3) on onnxruntime (CUDA device 0) in 900 ms", log))
                .as("on the GPU").isEmpty();
    }

    @Test
    void withoutTheGpuBuildTheBenchSaysWhyCudaIsNotAvailable() {
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return; // built with -Pgpu: whether CUDA works depends on the machine, not on the build
        }
        assertThat(OnnxClassifier.cudaProblem(0)).get().asString()
                .contains("no CUDA execution provider", "[CPU]", "-Pgpu");
    }
}
