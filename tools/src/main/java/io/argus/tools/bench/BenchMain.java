package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import ai.onnxruntime.OrtEnvironment;
import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.image.InputSpec;
import io.argus.common.engine.OnnxClassifier;
import io.argus.common.nd4j.OneDnn;
import io.argus.common.engine.OnnxSettings;
import io.argus.tools.CommandLine;
import io.argus.tools.keys.KeysCommand;

/**
 * {@code ./argus bench}: how fast Argus classifies on this machine, from the matrix multiply up to
 * images through Kafka. Progress goes to stderr, the tables to stdout, everything to a JSON file.
 */
public final class BenchMain {

    /** Everything measured, as written to JSON. */
    record Report(Instant at, Map<String, String> machine, Sgemm.Result sgemm, List<ModelInfo> models,
                  List<ModelThroughput.Run> modelOnly, List<DecodeThroughput.Run> decode,
                  List<EndToEndRun> endToEnd, List<E2eCheck> endToEndChecks, List<EndToEndRun> costRuns,
                  List<NotRun> notRun) {
    }

    /** Something asked for that was not measured, and why (CUDA asked for on a machine without it). */
    record NotRun(String what, String reason) {
    }

    record ModelInfo(String name, String source, long params, long flopsPerImage, String input, double parityError) {
    }

    /**
     * An end-to-end run against the model alone, same model, engine and batch. {@code ratio} is its
     * saturation over {@code modelOnly}'s figure; {@code cpuBoundImagesPerSecond} is that figure times
     * the share of the machine the rest of the work left the forward pass at saturation
     * ({@link CpuShares}), NaN without {@code /proc}; {@code p99BoundMs} is what the p99 at half load
     * ({@code p99Ms}) is held to.
     */
    record E2eCheck(EndToEndRun.Case what, ModelOnly modelOnly, double ratio, double cpuBoundImagesPerSecond,
                    double p99BoundMs, double p99Ms) {
    }

    /**
     * The model alone right before and right after an end-to-end run; {@code imagesPerSecond}, the
     * higher of the two, is the figure the run is held to: between runs on this machine the model-only
     * figure moved by 12% (docs/serving.md), so one reading could make the ratio look better than it is.
     */
    record ModelOnly(double imagesPerSecond, double before, double after) {

        static ModelOnly of(double before, double after) {
            return new ModelOnly(Math.max(before, after), before, after);
        }
    }

    private BenchMain() {
    }

    public static int run(String[] args) throws Exception {
        return CommandLine.run(args, BenchOptions.USAGE, BenchOptions::parse, BenchMain::bench);
    }

    private static int bench(BenchOptions o) throws Exception {
        OneDnn.enable();
        Consumer<String> progress = s -> System.err.println("[bench] " + s);
        // CUDA asked for and not there: said at once, in one line, before minutes of CPU figures.
        List<BenchEngine> engines = new ArrayList<>(o.engines());
        List<NotRun> notRun = new ArrayList<>();
        BiConsumer<BenchEngine, String> unavailable = (engine, why) -> {
            if (engines.remove(engine)) {
                notRun.add(new NotRun(engine.toString(), cudaLine(why)));
                System.err.println("[bench] WARNING: " + cudaLine(why) + "; " + engine
                        + " is left out of the tables"
                        + (engines.contains(BenchEngine.ONNX) ? " (the CPU figures are onnx's)" : ""));
            }
        };
        if (engines.contains(BenchEngine.ONNX_CUDA)) {
            OnnxClassifier.cudaProblem(0).ifPresent(why -> unavailable.accept(BenchEngine.ONNX_CUDA, why));
            if (engines.isEmpty()) {
                System.err.println("[bench] nothing else to run: add onnx to --engines for the CPU figures "
                        + "(--engines onnx,onnx-cuda)");
                return 2;
            }
        }
        Map<String, String> machine = machine();
        progress.accept("machine: " + machine);

        progress.accept("sgemm ...");
        Sgemm.Result sgemm = Sgemm.measure(Math.min(2.5, o.seconds()), o.onnxThreads());
        progress.accept(String.format(Locale.ROOT, "sgemm: best %.1f GFLOP/s", sgemm.best()));

        progress.accept("decode + preprocess ...");
        List<byte[]> pngs = pngs(1000);
        List<byte[]> jpeg224 = jpegs(224, 224, 32);
        List<byte[]> jpeg1080 = jpegs(1920, 1080, 8);
        int cores = Runtime.getRuntime().availableProcessors();
        List<DecodeThroughput.Run> decode = DecodeThroughput.measure(List.of(
                new DecodeThroughput.Case("Fashion-MNIST PNG 28x28", pngs, InputSpec.grey(28, 28), false),
                new DecodeThroughput.Case("JPEG 224x224", jpeg224, InputSpec.imageNet(224, 224), false),
                new DecodeThroughput.Case("JPEG 1920x1080", jpeg1080, InputSpec.imageNet(224, 224), false),
                new DecodeThroughput.Case("JPEG 1920x1080", jpeg1080, InputSpec.imageNet(224, 224), true)),
                cores, Math.min(3, o.seconds()), progress);

        // Model-only at its best: the forward pass has the cores to itself, so its threads may spin.
        OnnxSettings onnx = new OnnxSettings(o.onnxThreads(), true, false, 0);
        BenchModels models = new BenchModels(o.store(), o.storedName());
        List<ModelInfo> infos = new ArrayList<>();
        List<ModelThroughput.Run> modelOnly = new ArrayList<>();
        List<EndToEndRun> e2e = new ArrayList<>();
        List<E2eCheck> checks = new ArrayList<>();
        List<EndToEndRun> costRuns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(o.models());
        o.e2e().forEach(c -> names.add(c.model()));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path work = o.out().resolve("work-" + stamp);
        // The services the bench starts run as ./argus up starts them: access control on, with keys.
        Path keys = work.resolve("keys");
        if (!o.e2e().isEmpty()) {
            KeysCommand.create(keys);
        }
        for (String name : names) {
            BenchModel m = models.load(name, progress);
            infos.add(new ModelInfo(m.name(), m.source(), m.params(), m.flopsPerImage(),
                    m.spec().width() + "x" + m.spec().height() + "x" + m.spec().channels(), m.parityError()));
            progress.accept(String.format(Locale.ROOT, "%s: %,d parameters, %.3g GFLOP/image, ONNX parity %.1e",
                    name, m.params(), m.flopsPerImage() / 1e9, m.parityError()));
            List<ModelThroughput.Run> runs = new ArrayList<>();
            if (o.models().contains(name)) {
                runs.addAll(ModelThroughput.measure(m, List.copyOf(engines), o.batches(), o.seconds(), sgemm.best(),
                        onnx, progress, unavailable));
            }
            for (BenchOptions.E2eCase c : o.e2e()) {
                if (!c.model().equals(name)) {
                    continue;
                }
                // The engine the comparison is about: the faster one at the service's batch size.
                if (runs.stream().noneMatch(r -> r.batch() == o.e2eBatch())) {
                    runs.addAll(ModelThroughput.measure(m, List.copyOf(engines), List.of(o.e2eBatch()), o.seconds(),
                            sgemm.best(), onnx, progress, unavailable));
                }
                var measured = runs.stream().filter(r -> r.batch() == o.e2eBatch())
                        .max((a, b) -> Double.compare(a.imagesPerSecond(), b.imagesPerSecond()));
                if (measured.isEmpty()) {
                    notRun.add(new NotRun("end to end " + c, "no engine of --engines ran this model"));
                    continue;
                }
                ModelThroughput.Run best = measured.get();
                List<byte[]> images = switch (c.images()) {
                    case "png" -> pngs;
                    case "jpeg224" -> jpeg224;
                    default -> jpeg1080;
                };
                int backlog = (int) Math.max(200, Math.min(50_000, best.imagesPerSecond() * o.saturationSeconds()));
                EndToEnd.Setup setup = new EndToEnd.Setup(o.inferenceApp(), o.inferenceJvm(), keys, work,
                        o.e2eBatch(), o.batchWait(), 4, backlog, o.halfLoadSeconds(), o.warmUpMax());
                progress.accept("end to end: " + c + " ...");
                EndToEndRun r;
                try {
                    r = EndToEnd.run(m, best.engine(), c.images(), images, setup, progress);
                } catch (EndToEnd.CudaUnavailable e) {
                    System.err.println("[bench] WARNING: end to end " + c + " on " + best.engine() + " not run: "
                            + e.getMessage());
                    notRun.add(new NotRun("end to end " + c + " on " + best.engine(), e.getMessage()));
                    continue;
                }
                e2e.add(r);
                // The same run again with one thing changed (a candidate in shadow, drift off): its cost.
                for (EndToEnd.Variant v : o.variants().subList(1, o.variants().size())) {
                    progress.accept("end to end: " + c + ", " + v.name() + " ...");
                    costRuns.add(EndToEnd.run(m, best.engine(), c.images(), images, setup, v, progress));
                }
                // The model alone again, right after (ModelOnly says why).
                double after = ModelThroughput.measure(m, List.of(best.engine()), List.of(o.e2eBatch()), o.seconds(),
                        sgemm.best(), onnx, progress, unavailable).stream()
                        .mapToDouble(ModelThroughput.Run::imagesPerSecond).max().orElse(0);
                ModelOnly alone = ModelOnly.of(best.imagesPerSecond(), after);
                double cpuBound = r.saturation().cpu() == null ? Double.NaN
                        : alone.imagesPerSecond() * r.saturation().cpu().leftForForwardPass();
                checks.add(new E2eCheck(r.what(), alone, r.saturation().imagesPerSecond() / alone.imagesPerSecond(),
                        cpuBound, 3 * o.batchWait().toMillis() + 1000.0 * o.e2eBatch() / alone.imagesPerSecond(),
                        r.halfLoad().latency().p99Ms()));
            }
            for (ModelThroughput.Run r : runs) {
                if (o.models().contains(name) && !modelOnly.contains(r)) {
                    modelOnly.add(r);
                }
            }
            release(m);
        }

        Report report = new Report(Instant.now(), machine, sgemm, infos, modelOnly, decode, e2e, checks, costRuns,
                notRun);
        System.out.print(render(report, o));
        Files.createDirectories(o.out());
        Path json = o.out().resolve("bench-" + stamp + ".json");
        Files.write(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        System.out.println("JSON: " + json.toAbsolutePath());
        return 0;
    }

    static String render(Report r, BenchOptions o) {
        StringBuilder out = new StringBuilder("\n");
        Map<String, String> m = r.machine();
        out.append("Argus benchmark, ").append(r.at()).append('\n');
        out.append(m.get("cpu")).append(", ").append(m.get("cores")).append(" cores; Java ").append(m.get("java"))
                .append("; DL4J ").append(m.get("dl4j")).append("; ONNX Runtime ").append(m.get("onnxruntime"))
                .append("\n\n");

        out.append("sgemm (float32, n x n times n x n), GFLOP/s\n");
        Table s = new Table("library", "n=256", "n=512", "n=1024", "n=2048");
        r.sgemm().points().stream().map(Sgemm.Point::library).distinct().forEach(lib -> {
            List<Object> cells = new ArrayList<>(List.of(lib));
            r.sgemm().points().stream().filter(p -> p.library().equals(lib))
                    .forEach(p -> cells.add(String.format(Locale.ROOT, "%.1f", p.gflops())));
            s.row(cells.toArray());
        });
        out.append(s.render());
        out.append(String.format(Locale.ROOT, "machine sgemm (best): %.1f GFLOP/s%n%n", r.sgemm().best()));

        if (!r.modelOnly().isEmpty()) {
            out.append("Model only (prepared inputs into the engine; images/s, median of rounds; in brackets the ")
                    .append("run's GFLOP/s and its share of the best sgemm)\n");
            Table t = new Table(header("model", "params", "GFLOP/img", "input", "ONNX parity", "engine", o.batches()));
            for (ModelInfo info : r.models()) {
                for (BenchEngine e : o.engines()) {
                    List<String> cells = new ArrayList<>(List.of(info.name(), String.format(Locale.ROOT, "%.1fM",
                                    info.params() / 1e6), String.format(Locale.ROOT, "%.3g", info.flopsPerImage() / 1e9),
                            info.input(), String.format(Locale.ROOT, "%.0e", info.parityError()), e.toString()));
                    boolean any = false;
                    for (int b : o.batches()) {
                        var run = r.modelOnly().stream().filter(x -> x.model().equals(info.name()) && x.engine() == e
                                && x.batch() == b).findFirst();
                        any |= run.isPresent();
                        cells.add(run.map(x -> String.format(Locale.ROOT, "%.1f (%.0f, %.0f%%)", x.imagesPerSecond(),
                                x.gflops(), 100 * x.sgemmShare())).orElse(""));
                    }
                    if (any) {
                        t.row(cells.toArray());
                    }
                }
            }
            out.append(t.render()).append('\n');
        }

        out.append("Decode + preprocess (the shared ImagePreprocessor; images/s)\n");
        Table d = new Table("image", "avg bytes", "to model input", "threads", "images/s", "ms/image/thread");
        for (DecodeThroughput.Run run : r.decode()) {
            d.row(run.image(), String.format(Locale.ROOT, "%.0f", run.bytes()), run.target(), run.threads(),
                    String.format(Locale.ROOT, "%.1f", run.imagesPerSecond()),
                    String.format(Locale.ROOT, "%.2f", run.msPerImage()));
        }
        out.append(d.render()).append('\n');

        if (!r.endToEnd().isEmpty()) {
            out.append("End to end (raw topic -> inference-service -> classified topic, read committed; ")
                    .append("batch wait ").append(o.batchWait().toMillis()).append(" ms)\n");
            Table e = new Table("model", "images", "engine", "batch", "saturation img/s", "model-only img/s",
                    "before / after", "ratio", "half load img/s", "p50 ms", "p95 ms", "p99 ms", "p99 bound ms", "RSS ready MiB", "peak RSS MiB");
            for (int i = 0; i < r.endToEnd().size(); i++) {
                EndToEndRun x = r.endToEnd().get(i);
                E2eCheck c = r.endToEndChecks().get(i);
                e.row(x.model(), x.images(), x.what().engine(), x.what().batch(),
                        String.format(Locale.ROOT, "%.1f", x.saturation().imagesPerSecond()),
                        String.format(Locale.ROOT, "%.1f", c.modelOnly().imagesPerSecond()),
                        String.format(Locale.ROOT, "%.1f / %.1f", c.modelOnly().before(), c.modelOnly().after()),
                        String.format(Locale.ROOT, "%.0f%%", 100 * c.ratio()),
                        String.format(Locale.ROOT, "%.1f", x.halfLoad().imagesPerSecond()),
                        String.format(Locale.ROOT, "%.0f", x.halfLoad().latency().p50Ms()),
                        String.format(Locale.ROOT, "%.0f", x.halfLoad().latency().p95Ms()),
                        String.format(Locale.ROOT, "%.0f", x.halfLoad().latency().p99Ms()),
                        String.format(Locale.ROOT, "%.0f", c.p99BoundMs()),
                        x.memory().readyRssMib(), x.memory().peakRssMib());
            }
            out.append(e.render());
            out.append("model-only = the higher of the model alone right before and right after the end-to-end run; ")
                    .append("p99 bound = 3 x batch wait + one batch of it; ratio = saturation / model-only, at the ")
                    .append("same batch on the same engine\n");
            out.append("RSS = inference-service's resident memory (").append(ProcessMemory.SOURCE)
                    .append("): when ready (model loaded, no traffic), and its peak over the run, start-up ")
                    .append("included (one JVM per run; JVM options: ").append(String.join(" ", o.inferenceJvm()))
                    .append(")\n\n");
            out.append(bounds(r.endToEnd())).append('\n');
            out.append(breakdowns(r.endToEnd())).append('\n');
            out.append(cpu(r.endToEnd(), r.endToEndChecks())).append('\n');
        }
        if (!r.costRuns().isEmpty()) {
            out.append(costs(r.endToEnd(), r.costRuns())).append('\n');
        }
        if (!r.notRun().isEmpty()) {
            out.append("Not run\n");
            r.notRun().forEach(n -> out.append("  ").append(n.what()).append(": ").append(n.reason()).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    /** Each run's saturation beside what the broker alone sustains for its records. */
    static String bounds(List<EndToEndRun> runs) {
        StringBuilder out = new StringBuilder("End to end against the broker-alone bound (the same records through ")
                .append("Kafka, produced, consumed read_committed and answered in transactions as the service does, ")
                .append("no model; same broker, same cores)\n");
        Table t = new Table("model", "images", "record bytes", "result bytes", "broker-alone rec/s",
                "saturation img/s", "share of bound");
        for (EndToEndRun x : runs) {
            BrokerBound.Result b = x.brokerBound();
            t.row(x.model(), x.images(), String.format(Locale.ROOT, "%.0f", x.what().imageBytes()), b.resultBytes(),
                    String.format(Locale.ROOT, "%.1f", b.recordsPerSecond()),
                    String.format(Locale.ROOT, "%.1f", x.saturation().imagesPerSecond()),
                    String.format(Locale.ROOT, "%.0f%%", 100 * x.boundShare()));
        }
        return out.append(t.render()).toString();
    }

    /** Each run's time per image at saturation, by step of inference-service's classification thread. */
    static String breakdowns(List<EndToEndRun> runs) {
        StringBuilder out = new StringBuilder("Where the time per image goes at saturation (ms per image: ")
                .append("inference-service's classification thread by step, from argus_inference_loop_seconds_total; ")
                .append("kafka = consume + commit (send, offsets, transaction); waiting = polls that returned ")
                .append("nothing; wall = the bench's clock over the same interval)\n");
        List<String> header = new ArrayList<>(List.of("model", "images"));
        header.addAll(Breakdown.COLUMNS.keySet());
        header.addAll(List.of("sum", "wall", "sum/wall"));
        Table t = new Table(header.toArray(String[]::new));
        for (EndToEndRun x : runs) {
            Breakdown b = x.saturation().breakdown();
            List<Object> cells = new ArrayList<>(List.of(x.model(), x.images()));
            Breakdown.COLUMNS.keySet().forEach(c -> cells.add(ms(b.msPerImage(c))));
            cells.add(ms(b.sumMsPerImage()));
            cells.add(ms(b.wallMsPerImage()));
            cells.add(String.format(Locale.ROOT, "%.1f%%", 100 * b.sumMsPerImage() / b.wallMsPerImage()));
            t.row(cells.toArray());
        }
        return out.append(t.render()).toString();
    }

    /** Where the machine's CPU went at saturation, and the bound that sets: each run beside its model-only figure. */
    static String cpu(List<EndToEndRun> runs, List<E2eCheck> checks) {
        StringBuilder out = new StringBuilder("Where the CPU goes at saturation (shares of the machine: its cores x ")
                .append("the phase's wall time, from /proc; the model alone keeps every core busy, so the CPU bound ")
                .append("is model-only x what the rest leaves the forward pass)\n");
        Table t = new Table("model", "images", "classification + ONNX Runtime", "of it outside the forward pass",
                "decode threads", "kafka clients", "compilers", "collector", "bench JVM", "idle", "left for the model",
                "CPU bound img/s", "saturation img/s", "share of CPU bound");
        for (int i = 0; i < runs.size(); i++) {
            EndToEndRun x = runs.get(i);
            CpuShares c = x.saturation().cpu();
            if (c == null) {
                t.row(x.model(), x.images(), "n/a (no /proc)", "", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            double bound = checks.get(i).cpuBoundImagesPerSecond();
            t.row(x.model(), x.images(), pct(c.service(ThreadCpu.Kind.OTHER)), pct(c.classificationOutsideModel()),
                    pct(c.service(ThreadCpu.Kind.DECODE)),
                    pct(c.service(ThreadCpu.Kind.KAFKA)), pct(c.service(ThreadCpu.Kind.COMPILERS)),
                    pct(c.service(ThreadCpu.Kind.COLLECTOR)), pct(c.bench()), pct(c.idleShare()),
                    pct(c.leftForForwardPass()), String.format(Locale.ROOT, "%.1f", bound),
                    String.format(Locale.ROOT, "%.1f", x.saturation().imagesPerSecond()),
                    String.format(Locale.ROOT, "%.0f%%", 100 * x.saturation().imagesPerSecond() / bound));
        }
        out.append(t.render());
        out.append("outside the forward pass = the classification thread's CPU booked by the service to decoding its ")
                .append("share, results, polls and commits (argus_inference_loop_cpu_seconds_total, all phases but ")
                .append("model); bench JVM = the broker, the load generator and the reader, with its compilers; left ")
                .append("for the model = 100% minus the classification thread outside the forward pass, the service's ")
                .append("decode threads, Kafka clients, compilers and collector and the bench JVM\n");
        return out.toString();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /**
     * What a candidate in shadow and drift per sensor cost: each run beside the baseline run of the
     * same model and images, which differs from it in that one thing only.
     */
    static String costs(List<EndToEndRun> baselines, List<EndToEndRun> runs) {
        StringBuilder out = new StringBuilder("What shadow, drift and OOD scores cost (each run of a case against its baseline: the ")
                .append("champion alone, drift and OOD scores as deployed; figures at saturation, then at half load; CPU = ")
                .append("inference-service's JVM, all threads; extra = this run minus the baseline)\n");
        Table t = new Table("model", "images", "run", "drift", "ood", "shadowed", "not shadowed", "saturation img/s",
                "wall ms/img", "CPU ms/img", "extra wall ms/img", "extra CPU ms/img", "extra CPU ms/shadowed img",
                "half load: shadowed", "not shadowed", "p99 ms");
        List<EndToEndRun> rows = new ArrayList<>();
        for (EndToEndRun base : baselines) {
            List<EndToEndRun> mine = runs.stream().filter(x -> x.model().equals(base.model())
                    && x.images().equals(base.images())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            List<EndToEndRun> group = new ArrayList<>(List.of(base));
            group.addAll(mine);
            rows.addAll(group);
            for (EndToEndRun x : group) {
                double wall = x.saturation().breakdown().wallMsPerImage();
                double extraWall = wall - base.saturation().breakdown().wallMsPerImage();
                double extraCpu = x.saturation().serviceCpuMsPerImage() - base.saturation().serviceCpuMsPerImage();
                boolean isBase = x == base;
                EndToEndRun.Shadowed shadowed = x.saturation().shadowed();
                t.row(x.model(), x.images(), x.service().run(), x.service().driftOn() ? "on" : "off",
                        x.service().oodOn() ? "on" : "off", shadowed.answered(), shadowed.dropped(),
                        String.format(Locale.ROOT, "%.1f", x.saturation().imagesPerSecond()), ms(wall),
                        ms(x.saturation().serviceCpuMsPerImage()), isBase ? "" : signed(extraWall),
                        isBase ? "" : signed(extraCpu),
                        isBase || shadowed.answered() == 0 ? ""
                                : signed(extraCpu * x.saturation().breakdown().images() / shadowed.answered()),
                        x.halfLoad().shadowed().answered(), x.halfLoad().shadowed().dropped(),
                        String.format(Locale.ROOT, "%.0f", x.halfLoad().latency().p99Ms()));
            }
        }
        out.append(t.render());
        out.append("\nTime per image by step in the same runs (ms per image, as in the table above)\n");
        List<String> header = new ArrayList<>(List.of("model", "images", "run"));
        header.addAll(Breakdown.COLUMNS.keySet());
        header.addAll(List.of("sum", "wall"));
        Table b = new Table(header.toArray(String[]::new));
        for (EndToEndRun x : rows) {
            List<Object> cells = new ArrayList<>(List.of(x.model(), x.images(), x.service().run()));
            Breakdown.COLUMNS.keySet().forEach(c -> cells.add(ms(x.saturation().breakdown().msPerImage(c))));
            cells.add(ms(x.saturation().breakdown().sumMsPerImage()));
            cells.add(ms(x.saturation().breakdown().wallMsPerImage()));
            b.row(cells.toArray());
        }
        return out.append(b.render()).toString();
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "n/a" : (v >= 0 ? "+" : "-") + ms(Math.abs(v));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.4f" : "%.2f", v);
    }

    private static String cudaLine(String why) {
        return "CUDA was asked for (--engines onnx-cuda) and is not available: " + why;
    }

    private static String[] header(String a, String b, String c, String d, String e, String f, List<Integer> batches) {
        List<String> h = new ArrayList<>(List.of(a, b, c, d, e, f));
        batches.forEach(x -> h.add("batch " + x));
        return h.toArray(String[]::new);
    }

    private static Map<String, String> machine() throws IOException {
        String cpu = "unknown CPU";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            cpu = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        }
        return Map.of("cpu", cpu, "cores", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"),
                "dl4j", "1.0.0-M2.1 (" + OneDnn.describe() + ")",
                "onnxruntime", OrtEnvironment.getEnvironment().getVersion());
    }

    private static List<byte[]> pngs(int n) throws IOException {
        LabeledImages test = FashionMnist.loadSubset().test();
        return IntStream.range(0, Math.min(n, test.count())).mapToObj(test::png).toList();
    }

    private static List<byte[]> jpegs(int width, int height, int n) {
        return IntStream.range(0, n).mapToObj(i -> SyntheticPhotos.jpeg(width, height, i)).toList();
    }

    private static void release(BenchModel m) {
        if (m.network() instanceof MultiLayerNetwork mln) {
            mln.close();
        } else if (m.network() instanceof ComputationGraph cg) {
            cg.close();
        }
        System.gc();
    }
}
