package io.argus.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.argus.common.bench.Timing;
import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.engine.Engine;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.model.ModelId;

/** Model-only throughput: prepared inputs straight into an engine, no decoding, no Kafka. */
final class ModelThroughput {

    /** One engine at one batch size. */
    record Run(String model, BenchEngine engine, int batch, double imagesPerSecond, double min, double max,
               double gflops, double sgemmShare) {
    }

    private ModelThroughput() {
    }

    /**
     * Each engine at each batch size. An engine that asks for CUDA and gets a CPU session instead (no
     * usable GPU: what inference-service would fall back to) is not measured: {@code unavailable}
     * hears why, and the CPU figures are the {@code onnx} engine's.
     */
    static List<Run> measure(BenchModel m, List<BenchEngine> engines, List<Integer> batches, double seconds,
                             double sgemmGflops, OnnxSettings onnx, Consumer<String> progress,
                             BiConsumer<BenchEngine, String> unavailable) {
        List<Run> runs = new ArrayList<>();
        ModelId id = new ModelId(m.name(), 0);
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        float[] input = new float[maxBatch * m.spec().size()];
        Random random = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        for (BenchEngine engine : engines) {
            ImageClassifier classifier = engine.engine() == Engine.ONNX
                    ? new OnnxClassifier(id, m.spec(), List.of(), m.onnx(), engine.onnx(onnx))
                    : new Dl4jClassifier(id, m.spec(), List.of(), m.network());
            if (engine.cuda() && classifier instanceof OnnxClassifier o && o.cudaUnavailable().isPresent()) {
                classifier.close();
                unavailable.accept(engine, o.cudaUnavailable().get());
                continue;
            }
            try {
                for (int batch : batches) {
                    Timing.Result t = Timing.run(() -> classifier.classify(input, batch), batch, seconds);
                    double gflops = t.perSecond() * m.flopsPerImage() / 1e9;
                    Run run = new Run(m.name(), engine, batch, t.perSecond(), t.min(), t.max(), gflops,
                            gflops / sgemmGflops);
                    runs.add(run);
                    progress.accept(String.format(Locale.ROOT, "%-11s %-9s batch %2d: %9.1f images/s",
                            m.name(), engine, batch, t.perSecond()));
                }
            } finally {
                // The DL4J classifier would close the network the next engine or stage still needs.
                if (classifier instanceof OnnxClassifier) {
                    classifier.close();
                }
            }
        }
        return runs;
    }
}
