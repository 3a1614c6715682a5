package io.argus.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.argus.tools.Args;

/** Command-line options of {@code ./argus bench}. */
record BenchOptions(List<String> models, List<BenchEngine> engines, List<Integer> batches, double seconds,
                    List<E2eCase> e2e, int e2eBatch, Duration batchWait, double halfLoadSeconds,
                    double saturationSeconds, Duration warmUpMax, int onnxThreads, Path store, String storedName, Path inferenceApp,
                    List<String> inferenceJvm, Path out, double shadowShare, boolean driftCost,
                    boolean oodCost) {

    /**
     * The runs of each end-to-end case: the baseline (the champion alone, drift as deployed), then one
     * with a candidate in shadow if {@code --shadow} asked for it, then one with drift off if
     * {@code --drift-cost} did, then one without out-of-distribution scores if {@code --ood-cost} did.
     */
    List<EndToEnd.Variant> variants() {
        List<EndToEnd.Variant> v = new ArrayList<>(List.of(EndToEnd.Variant.BASELINE));
        if (shadowShare > 0) {
            v.add(EndToEnd.Variant.shadow(shadowShare));
        }
        if (driftCost) {
            v.add(EndToEnd.Variant.DRIFT_OFF);
        }
        if (oodCost) {
            v.add(EndToEnd.Variant.OOD_OFF);
        }
        return v;
    }

    /** One end-to-end run: a model and the kind of images streamed to it. */
    record E2eCase(String model, String images) {

        static final List<String> IMAGES = List.of("png", "jpeg224", "jpeg1080");

        static E2eCase parse(String spec) {
            String[] parts = spec.split(":", 2);
            if (parts.length != 2 || !BenchModels.KNOWN.contains(parts[0]) || !IMAGES.contains(parts[1])) {
                throw new IllegalArgumentException("--e2e takes model:images pairs (models " + BenchModels.KNOWN
                        + ", images " + IMAGES + "), not '" + spec + "'");
            }
            return new E2eCase(parts[0], parts[1]);
        }

        @Override
        public String toString() {
            return model + ":" + images;
        }
    }

    static final String USAGE = """
            Usage: ./argus bench [options]

            Prints one table per stage and writes everything as JSON:
              sgemm        the machine's float32 matrix-multiply GFLOP/s (the yardstick)
              model-only   images/s of each model on each engine at each batch size, its GFLOP/s and
                           share of sgemm, and the ONNX export's parity with DL4J
              decode       decode + preprocess images/s: small PNGs, 224x224 and 1920x1080 JPEGs
              end to end   a real broker and inference-service: images/s at saturation, then
                           latency p50/p95/p99 at half of it, and the service's resident memory
                           (Linux /proc): when ready, and its peak over the run (one service JVM
                           per run, so the peak includes its start-up and model loading)

            Options:
              --models LIST        of fashion-cnn,resnet50,resnet50-zoo,resnet18,squeezenet,vgg16
                                   (default: all of them; resnet50 is torchvision's layout,
                                   resnet50-zoo DL4J's, which costs a quarter)
              --engines LIST       of onnx,dl4j,onnx-cuda (default: onnx,dl4j). onnx-cuda is ONNX
                                   Runtime's CUDA execution provider on GPU 0, as inference-service
                                   runs with argus.inference.onnx.cuda=true: it needs the GPU build
                                   (./mvnw package -DskipTests -Pgpu) and a GPU. Without them the
                                   bench says why in one line at the start and leaves onnx-cuda out
                                   of the tables (listed under 'Not run'); asked for alone, it stops
                                   there (exit status 2)
              --batches LIST       model-only batch sizes (default: 1,8,32)
              --seconds S          measuring time per model-only figure (default: 5)
              --e2e LIST           model:images runs, images png|jpeg224|jpeg1080, or 'none'
                                   (default: fashion-cnn:png,resnet50:jpeg224,resnet50:jpeg1080)
              --e2e-batch N        inference-service batch size (default: 32)
              --batch-wait MS      inference-service batch wait (default: 25)
              --saturation-seconds S  about how long the saturation backlog lasts (default: 20)
              --half-load-seconds S   how long images are paced at half load (default: 20)
              --warm-up-seconds S  warm-up rounds go on until the JIT compilers of the service and
                                   the bench are quiet, at most this long (default: 120; 0: one round)
              --onnx-threads N     ONNX Runtime intra-op threads, 0 = one per physical core (default: 0)
              --store DIR          model store holding the project's CNN (default: run/models)
              --model-name NAME    its model name there (default: argus)
              --inference-app JAR  packaged inference-service
                                   (default: inference-service/target/quarkus-app/quarkus-run.jar)
              --inference-jvm OPTS JVM options of inference-service (default: as ./argus up starts it,
                                   -Xmx1g and ND4J's bounds, which only the dl4j engine uses; what each
                                   model needs: docs/serving.md#memory)
              --out DIR            where the JSON goes (default: run/bench)
              --shadow SHARE       also runs each end-to-end case with a candidate in shadow: a copy of
                                   the model stored as v2 and announced SHADOW, as the trainer does,
                                   classifying SHARE (0 < SHARE <= 1) of the images beside the
                                   champion (argus.inference.shadow.share); prints what it costs
                                   against the run without (images/s, p99, CPU and time per image)
              --drift-cost         also runs each end-to-end case with drift per sensor off
                                   (argus.inference.drift.enabled=false) and prints what it costs.
                                   Drift is on in the other runs when the bundle has a reference (the
                                   project's CNN from the store; the random-weight models have none)
              --ood-cost           also runs each end-to-end case with a bundle that leaves out the
                                   model's out-of-distribution statistics (so no image is scored) and
                                   prints what scoring costs. The other runs score every image when
                                   the stored model has them (a model pretrained since they exist)
              --quick              a short run: 2 s per figure, fashion-cnn, resnet50 and squeezenet,
                                   end to end on fashion-cnn:png and resnet50:jpeg224, 10 s phases
            """;

    /** As {@code ./argus up} starts inference-service (its {@code DL4J_OPTS}). */
    static final String DEFAULT_JVM = "-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=3g "
            + "-Dorg.bytedeco.javacpp.maxphysicalbytes=5g -Dorg.eclipse.deeplearning4j.helpers.disable=false";

    static BenchOptions parse(String[] args) {
        Args a = new Args(args, USAGE);
        boolean quick = a.flag("--quick");
        List<String> models = a.list("--models", quick ? List.of("fashion-cnn", "resnet50", "squeezenet")
                : BenchModels.KNOWN);
        for (String m : models) {
            if (!BenchModels.KNOWN.contains(m)) {
                throw new IllegalArgumentException("unknown model '" + m + "'; known: " + BenchModels.KNOWN);
            }
        }
        List<BenchEngine> engines = a.list("--engines", List.of("onnx", "dl4j")).stream().map(BenchEngine::parse)
                .distinct().toList();
        List<Integer> batches = a.integers("--batches", List.of(1, 8, 32));
        double seconds = a.decimal("--seconds", quick ? 2 : 5);
        List<String> e2eSpecs = a.list("--e2e", quick ? List.of("fashion-cnn:png", "resnet50:jpeg224")
                : List.of("fashion-cnn:png", "resnet50:jpeg224", "resnet50:jpeg1080"));
        List<E2eCase> e2e = e2eSpecs.equals(List.of("none")) ? List.of()
                : e2eSpecs.stream().map(E2eCase::parse).toList();
        int e2eBatch = a.integer("--e2e-batch", 32);
        Duration wait = Duration.ofMillis(a.longValue("--batch-wait", 25));
        double saturation = a.decimal("--saturation-seconds", quick ? 10 : 20);
        double half = a.decimal("--half-load-seconds", quick ? 10 : 20);
        Duration warmUp = Duration.ofMillis(Math.round(1000 * a.decimal("--warm-up-seconds", 120)));
        int threads = a.integer("--onnx-threads", 0);
        Path store = a.path("--store", Path.of("run/models"));
        String name = a.text("--model-name", "argus");
        Path app = a.path("--inference-app", Path.of("inference-service/target/quarkus-app/quarkus-run.jar"));
        List<String> jvm = List.of(a.text("--inference-jvm", DEFAULT_JVM).trim().split("\\s+"));
        Path out = a.path("--out", Path.of("run/bench"));
        double shadow = a.decimal("--shadow", 0);
        if (a.text("--shadow").isPresent() && !(shadow > 0 && shadow <= 1)) {
            throw new IllegalArgumentException("--shadow takes the share of images the candidate "
                    + "classifies, more than 0 and at most 1 (0 runs no candidate), not " + shadow);
        }
        boolean driftCost = a.flag("--drift-cost");
        boolean oodCost = a.flag("--ood-cost");
        a.done();
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("--engines names no engine; known: " + BenchEngine.NAMES);
        }
        if ((shadow > 0 || driftCost || oodCost) && e2e.isEmpty()) {
            throw new IllegalArgumentException("--shadow, --drift-cost and --ood-cost compare end-to-end runs: "
                    + "--e2e names none");
        }
        if (seconds <= 0 || half <= 0 || saturation <= 0 || e2eBatch <= 0 || batches.stream().anyMatch(b -> b <= 0)) {
            throw new IllegalArgumentException("times and batch sizes must be positive");
        }
        return new BenchOptions(models, engines, batches, seconds, e2e, e2eBatch, wait, half, saturation, warmUp, threads,
                store, name, app, jvm, out, shadow, driftCost, oodCost);
    }
}
