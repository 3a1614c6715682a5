package io.argus.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.contract.RawImage;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;

/**
 * End to end through the real thing: a Kafka broker, inference-service as its own process, images
 * produced to {@code argus.images.raw} and their results read back from
 * {@code argus.images.classified} (read-committed, as any downstream consumer reads them).
 * After a warm-up, first at saturation (a backlog produced as fast as possible; throughput is the
 * rate at which results arrive once the first 10% are through), then at half of that rate, paced, for latency:
 * from the moment an image is sent to the moment its result can be read.
 */
final class EndToEnd {

    /** A run fails, rather than waits forever, when no result arrives for this long. */
    private static final Duration STALL = Duration.ofSeconds(60);
    /**
     * The service's commit interval while a backlog lasts (its default), set explicitly so that the
     * broker-alone bound commits on the same cadence.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** The warm-up is a third of the saturation backlog, at least this many batches. */
    private static final int WARM_UP_BATCHES = 4;
    /**
     * The warm-up ends once the JIT compilers of the service and of the bench's JVM (broker, load
     * generator, reader) together used less than this share of one core over a round.
     */
    private static final double JIT_QUIET_SHARE = 0.05;
    /** Each warm-up round ends with this long of paced load, at half the round's backlog rate: the half-load phase's paths. */
    private static final Duration PACED_WARM_UP = Duration.ofSeconds(2);
    /** Windows of the half-load phase by which its slowest images are placed in time: a few batches' worth. */
    private static final long TAIL_WINDOW_MS = 100;
    private static final Duration IDLE_SAMPLE = Duration.ofMillis(500);
    private static final double IDLE_CPU_SHARE = 0.1;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    /** What to run; the keys file is the services' API keys (access control is on, as deployed). */
    /**
     * @param warmUpMax how long the warm-up may go on while the JIT compilers are still busy; it
     *                  runs one round in any case
     */
    record Setup(Path inferenceApp, List<String> jvmOptions, Path keysFile, Path workDir, int batch,
                 Duration batchWait, int partitions, int saturationImages, double halfLoadSeconds,
                 Duration warmUpMax) {
    }

    /**
     * What the service runs beside the champion: the baseline is the champion alone with drift per
     * sensor as deployed (on, when the bundle has a reference); the others differ in one thing, so
     * that the difference is its cost.
     *
     * @param shadowShare the share of images a SHADOW candidate also classifies ({@code
     *                    argus.inference.shadow.share}); 0: no candidate
     * @param drift       {@code argus.inference.drift.enabled}
     * @param ood         whether the bundle carries the model's out-of-distribution statistics (the
     *                    service scores every image with them when it does; off: a bundle without)
     */
    record Variant(String name, double shadowShare, boolean drift, boolean ood) {

        static final Variant BASELINE = new Variant("baseline", 0, true, true);

        static Variant shadow(double share) {
            return new Variant(String.format(Locale.ROOT, "shadow %.2f", share), share, true, true);
        }

        static final Variant DRIFT_OFF = new Variant("drift off", 0, false, true);

        static final Variant OOD_OFF = new Variant("ood off", 0, true, false);

        boolean shadow() {
            return shadowShare > 0;
        }
    }

    private EndToEnd() {
    }

    static EndToEndRun run(BenchModel m, BenchEngine engine, String imagesName, List<byte[]> images, Setup setup,
                      Consumer<String> progress) throws Exception {
        return run(m, engine, imagesName, images, setup, Variant.BASELINE, progress);
    }

    static EndToEndRun run(BenchModel m, BenchEngine engine, String imagesName, List<byte[]> images, Setup setup,
                      Variant variant, Consumer<String> progress) throws Exception {
        String suffix = variant == Variant.BASELINE ? "" : "-" + variant.name().replaceAll("[^a-z0-9.]+", "-");
        Path dir = Files.createDirectories(setup.workDir().resolve("e2e-" + m.name() + "-" + imagesName + suffix));
        try (ArgusBroker broker = ArgusBroker.startTemporary()) {
            broker.createTopics(TopicNames.DEFAULTS, setup.partitions());
            announce(broker.bootstrapServers(), BenchBundles.prepare(m, dir.resolve("models"), variant.shadow(), variant.ood()));
            // Before the service starts: the broker alone, on the cores the run will share.
            BrokerBound.Result bound = BrokerBound.measure(broker, images, setup.saturationImages(), setup.batch(),
                    setup.partitions(), COMMIT_INTERVAL, progress);
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("argus.inference.model.directory", dir.resolve("models").toString());
            config.put("argus.inference.model.name", BenchBundles.MODEL);
            config.put("argus.inference.drift.enabled", Boolean.toString(variant.drift()));
            if (variant.shadow()) {
                config.put("argus.inference.shadow.share", Double.toString(variant.shadowShare()));
            }
            config.putAll(engine.serviceConfig());
            config.put("argus.inference.batch.max-size", Integer.toString(setup.batch()));
            config.put("argus.inference.batch.max-wait", setup.batchWait().toMillis() + "ms");
            config.put("argus.inference.commit-interval", COMMIT_INTERVAL.toMillis() + "ms");
            config.put("argus.inference.replica-id", "bench");
            config.put("argus.security.keys-file", setup.keysFile().toString());
            progress.accept("starting inference-service (" + engine + ", batches of " + setup.batch() + ", "
                    + variant.name() + ") ...");
            try (InferenceProcess inference = InferenceProcess.start(setup.inferenceApp(), setup.jvmOptions(), config,
                    dir.resolve("inference.log"));
                 Results results = new Results(broker.bootstrapServers(), Topics.CLASSIFIED, setup.partitions());
                 KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                inference.awaitReady(Duration.ofMinutes(5), progress);
                String loaded = inference.loadedLine();
                progress.accept(loaded);
                Optional<String> notOnGpu = notOnCuda(engine, loaded, dir.resolve("inference.log"));
                if (notOnGpu.isPresent()) {
                    throw new CudaUnavailable(notOnGpu.get());
                }
                if (variant.shadow()) {
                    awaitShadow(inference, Duration.ofMinutes(2), dir.resolve("inference.log"));
                }
                boolean driftOn = inference.endpoints().total("argus_drift_enabled") == 1;
                String ood = inference.endpoints().ood().orElse("not said");
                boolean oodOn = ood.startsWith("on");
                progress.accept(variant.name() + ": drift per sensor " + (driftOn ? "on" : "off")
                        + ", out-of-distribution score " + ood
                        + (variant.shadow() ? ", v2 runs in shadow at a share of " + variant.shadowShare() : ""));
                ProcessMemory atReady = inference.memory().orElse(null);
                int n = setup.saturationImages();
                warmUp(inference, producer, results, images, Math.max(WARM_UP_BATCHES * setup.batch(), n / 3),
                        setup.warmUpMax(), progress);

                // Saturation: a backlog as fast as the producer goes.
                results.expect("sat-", n);
                progress.accept("saturation: " + n + " images ...");
                double shadowedBefore = inference.endpoints().total("argus_shadow_images_total");
                double droppedBefore = inference.endpoints().total("argus_shadow_dropped_total");
                Optional<Duration> cpuBefore = inference.cpuTime();
                Optional<Duration> jitBefore = jitCpu(inference);
                long before = System.nanoTime();
                ServiceEndpoints.LoopSeconds loopBefore = inference.endpoints().loopSeconds();
                long readBefore = (before + System.nanoTime()) / 2;
                Optional<CpuShares.Snapshot> sharesBefore = CpuShares.Snapshot.take(inference.pid(),
                        loopBefore.cpuOutsideModel());
                for (int i = 0; i < n; i++) {
                    send(producer, "sat-" + i, images.get(i % images.size()), results, i);
                }
                producer.flush();
                results.await(STALL);
                long after = System.nanoTime();
                ServiceEndpoints.LoopSeconds loopAfter = inference.endpoints().loopSeconds();
                long readAfter = (after + System.nanoTime()) / 2;
                Optional<CpuShares> cpu = CpuShares.between(sharesBefore,
                        CpuShares.Snapshot.take(inference.pid(), loopAfter.cpuOutsideModel()),
                        Runtime.getRuntime().availableProcessors());
                Optional<Duration> cpuAfter = inference.cpuTime();
                String satJit = jitShare(jitBefore, jitCpu(inference), (System.nanoTime() - before) / 1e9);
                // The candidate may still be working through its queue: its count is read once it is done.
                long shadowed = Math.round(settled(inference, "argus_shadow_images_total") - shadowedBefore);
                long dropped = Math.round(inference.endpoints().total("argus_shadow_dropped_total") - droppedBefore);
                double cpuMs = cpuBefore.isPresent() && cpuAfter.isPresent()
                        ? (cpuAfter.get().toNanos() - cpuBefore.get().toNanos()) / 1e6 / n : Double.NaN;
                double saturation = results.steadyRate(0.1);
                Breakdown breakdown = Breakdown.between(loopBefore.wall(), loopAfter.wall(), n, (readAfter - readBefore) / 1e9);
                progress.accept(String.format(Locale.ROOT, "saturation: %.1f images/s (%.0f%% of the broker-alone "
                        + "bound); service CPU %.4f ms per image; shadowed %d, not shadowed (queue full) %d; ms per "
                        + "image: %s; sum %.4f of wall %.4f; the JIT compilers (service and bench) %s", saturation, 100 * saturation / bound.recordsPerSecond(),
                        cpuMs, shadowed, dropped, Breakdown.COLUMNS.keySet().stream()
                                .map(c -> String.format(Locale.ROOT, "%s %.4f", c, breakdown.msPerImage(c)))
                                .collect(Collectors.joining(", ")),
                        breakdown.sumMsPerImage(), breakdown.wallMsPerImage(), satJit));

                cpu.ifPresent(c -> progress.accept(String.format(Locale.ROOT, "saturation CPU, shares of the machine: "
                        + "classification + ONNX Runtime %.1f%% (the classification thread outside the forward pass "
                        + "%.1f%%), decode threads %.1f%%, kafka clients %.1f%%, compilers "
                        + "%.1f%%, collector %.1f%% (inference-service); bench JVM %.1f%%; idle %.1f%%",
                        100 * c.service(ThreadCpu.Kind.OTHER), 100 * c.classificationOutsideModel(),
                        100 * c.service(ThreadCpu.Kind.DECODE),
                        100 * c.service(ThreadCpu.Kind.KAFKA), 100 * c.service(ThreadCpu.Kind.COMPILERS),
                        100 * c.service(ThreadCpu.Kind.COLLECTOR), 100 * c.bench(), 100 * c.idleShare())));

                // Half load, paced: latency.
                double rate = saturation / 2;
                int count = Math.max(50, (int) (rate * setup.halfLoadSeconds()));
                results.expect("half-", count);
                progress.accept(String.format(Locale.ROOT, "half load: %d images at %.1f/s ...", count, rate));
                double halfShadowedBefore = inference.endpoints().total("argus_shadow_images_total");
                double halfDroppedBefore = inference.endpoints().total("argus_shadow_dropped_total");
                ServiceTimer commitsBefore = inference.endpoints().timer(ServiceTimer.COMMITS);
                ServiceTimer classifiedBefore = inference.endpoints().timer(ServiceTimer.UNTIL_CLASSIFIED);
                Optional<Duration> halfJitBefore = jitCpu(inference);
                long halfStart = System.nanoTime();
                sendPaced(producer, results, images, "half-", count, rate);
                results.await(STALL);
                String halfJit = jitShare(halfJitBefore, jitCpu(inference), (System.nanoTime() - halfStart) / 1e9);
                long halfShadowed = Math.round(settled(inference, "argus_shadow_images_total") - halfShadowedBefore);
                long halfDropped = Math.round(inference.endpoints().total("argus_shadow_dropped_total") - halfDroppedBefore);
                double[] latencies = results.latenciesMs();
                double[][] split = results.latencySplitMs();
                progress.accept(String.format(Locale.ROOT, "half load latency until the service sent the result: "
                        + "p50 %.0f, p99 %.0f ms; from then until read committed: p50 %.0f, p99 %.0f ms",
                        pct(split[0], 50), pct(split[0], 99), pct(split[1], 50), pct(split[1], 99)));
                LatencySeries series = results.series();
                Path seriesCsv = dir.resolve("half-load-latency.csv");
                series.writeCsv(seriesCsv);
                progress.accept("half load, the slowest 1% in time: " + series.tailSpread(0.01, TAIL_WINDOW_MS).describe()
                        + " (each image: " + seriesCsv + ")");
                ServiceTimer classified = inference.endpoints().timer(ServiceTimer.UNTIL_CLASSIFIED).since(classifiedBefore);
                ServiceTimer commits = inference.endpoints().timer(ServiceTimer.COMMITS).since(commitsBefore);
                progress.accept(String.format(Locale.ROOT, "half load in the service: until classified (a batch "
                        + "filling, decoding, the model) p50 at most %.0f ms, p99 at most %.0f ms; %.0f commits "
                        + "(%.1f images each), %.1f ms on average, p50 at most %.0f ms, p99 at most %.0f ms; "
                        + "the JIT compilers (service and bench) %s",
                        classified.quantileAtMostMs(0.5), classified.quantileAtMostMs(0.99), commits.count(),
                        count / commits.count(), commits.meanMs(), commits.quantileAtMostMs(0.5),
                        commits.quantileAtMostMs(0.99), halfJit));
                double achieved = results.rateOverAll();
                ProcessMemory atEnd = inference.memory().orElse(null);
                EndToEndRun r = new EndToEndRun(
                        new EndToEndRun.Case(m.name(), imagesName,
                                images.stream().mapToInt(b -> b.length).average().orElse(0), engine, setup.batch()),
                        new EndToEndRun.Service(variant.name(), loaded, driftOn, oodOn, variant.shadowShare()),
                        new EndToEndRun.Saturation(saturation, cpuMs, breakdown, cpu.orElse(null),
                                new EndToEndRun.Shadowed(shadowed, dropped)),
                        new EndToEndRun.HalfLoad(achieved, count, new EndToEndRun.Latency(pct(latencies, 50),
                                pct(latencies, 95), pct(latencies, 99), latencies[latencies.length - 1]),
                                new EndToEndRun.Shadowed(halfShadowed, halfDropped)),
                        new EndToEndRun.Memory(atReady, atEnd), bound);
                progress.accept(String.format(Locale.ROOT,
                        "half load: %.1f images/s, latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; inference-service "
                                + "resident memory %s MiB when ready, peak %s MiB", achieved, r.halfLoad().latency().p50Ms(),
                        r.halfLoad().latency().p95Ms(), r.halfLoad().latency().p99Ms(), r.memory().readyRssMib(),
                        r.memory().peakRssMib()));
                return r;
            }
        }
    }

    /**
     * The service has just started: the first images run while its JIT compiler still works
     * through start-up and the first batches on the same two cores (measured for ResNet-18: its
     * compiler threads took 5-7% of the machine over the saturation phase that came straight after
     * start-up, most of it in the first seconds; 2% once warmed up). Saturation is measured once
     * warm, as model-only is (after {@code Timing}'s warm-up). A round is a backlog of {@code count}
     * images through the whole path, then two seconds paced at half the backlog's rate (the
     * half-load phase's paths: small batches, a commit each); rounds go on until the JIT compilers
     * of both JVMs are quiet ({@link #JIT_QUIET_SHARE}) or {@code max} has passed. For the 28x28
     * model one round was not enough: the service's compilers then took 18% of the machine during
     * the half-load phase, and its CPU per image at saturation was 0.14-0.16 ms against 0.09-0.10
     * after ten rounds (docs/serving.md, "Warm until the compilers are quiet"). Then until the
     * service is idle.
     */
    private static void warmUp(InferenceProcess inference, KafkaProducer<String, byte[]> producer, Results results,
                               List<byte[]> images, int count, Duration max, Consumer<String> progress)
            throws Exception {
        long until = System.nanoTime() + max.toNanos();
        for (int round = 1; ; round++) {
            Optional<Duration> jitBefore = jitCpu(inference);
            long start = System.nanoTime();
            String prefix = "warm" + round + "-";
            results.expect(prefix, count);
            for (int i = 0; i < count; i++) {
                send(producer, prefix + i, images.get(i % images.size()), results, i);
            }
            producer.flush();
            results.await(STALL);
            double rate = results.steadyRate(0.1) / 2;
            int paced = (int) Math.max(1, rate * PACED_WARM_UP.toMillis() / 1000);
            results.expect(prefix + "paced-", paced);
            sendPaced(producer, results, images, prefix + "paced-", paced, rate);
            results.await(STALL);
            Optional<Duration> jitAfter = jitCpu(inference);
            double wall = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format(Locale.ROOT, "warm-up round %d: %d images as a backlog, %d paced at %.0f/s; "
                    + "the JIT compilers (service and bench) %s", round, count, paced, rate,
                    jitShare(jitBefore, jitAfter, wall)));
            if (jitBefore.isEmpty() || jitAfter.isEmpty()) {
                break;
            }
            if (jitAfter.get().minus(jitBefore.get()).toNanos() / 1e9 < JIT_QUIET_SHARE * wall) {
                break;
            }
            if (System.nanoTime() > until) {
                progress.accept("the JIT compilers are still at work after the warm-up's " + max.toSeconds()
                        + " s (--warm-up-seconds); measuring anyway");
                break;
            }
        }
        awaitIdle(inference, progress);
    }

    /** {@code count} images, one every 1/{@code rate} s; their results are not awaited. */
    private static void sendPaced(KafkaProducer<String, byte[]> producer, Results results, List<byte[]> images,
                                  String prefix, int count, double rate) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send(producer, prefix + i, images.get(i % images.size()), results, i);
        }
    }

    /** The CPU time of the service's JIT compilers and the bench JVM's together; empty without {@code /proc}. */
    private static Optional<Duration> jitCpu(InferenceProcess inference) {
        Optional<Duration> service = JitCompilers.cpuTime(inference.pid());
        Optional<Duration> bench = JitCompilers.ownCpuTime();
        return service.isPresent() && bench.isPresent() ? Optional.of(service.get().plus(bench.get()))
                : Optional.empty();
    }

    private static String jitShare(Optional<Duration> before, Optional<Duration> after, double wallSeconds) {
        if (before.isEmpty() || after.isEmpty()) {
            return "not known here (no /proc)";
        }
        return String.format(Locale.ROOT, "used %.0f%% of a core", 100 * after.get().minus(before.get()).toNanos()
                / 1e9 / wallSeconds);
    }

    /**
     * Until the service used at most {@link #IDLE_CPU_SHARE} of one core over {@link #IDLE_SAMPLE}
     * (its compiler done with what the warm-up gave it), at most {@link #IDLE_TIMEOUT}; at once
     * where the OS does not say the process's CPU time.
     */
    private static void awaitIdle(InferenceProcess inference, Consumer<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + IDLE_TIMEOUT.toNanos();
        Optional<Duration> last = inference.cpuTime();
        while (last.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(IDLE_SAMPLE.toMillis());
            Optional<Duration> now = inference.cpuTime();
            if (now.isEmpty() || now.get().minus(last.get()).toNanos() <= IDLE_CPU_SHARE * IDLE_SAMPLE.toNanos()) {
                return;
            }
            last = now;
        }
        if (last.isPresent()) {
            progress.accept("inference-service still busy after the warm-up (over " + Math.round(100 * IDLE_CPU_SHARE)
                    + "% of a core for " + IDLE_TIMEOUT.toSeconds() + " s); measuring anyway");
        }
    }

    /** inference-service was asked for CUDA and serves on the CPU: its run would not measure the GPU. */
    static final class CudaUnavailable extends IllegalStateException {
        CudaUnavailable(String message) {
            super(message);
        }
    }

    /**
     * Why a service asked for CUDA does not run on it, from the engine it says it loaded the model on
     * ({@code ... on onnxruntime (CUDA device 0) in 812 ms}) and the warning it logged; empty when
     * CUDA was not asked for or is used.
     */
    static Optional<String> notOnCuda(BenchEngine engine, String loaded, Path log) {
        if (!engine.cuda() || loaded.contains("(CUDA device")) {
            return Optional.empty();
        }
        String why = LogTail.of(log, 200).lines().filter(l -> l.contains("CUDA was asked for"))
                .map(l -> l.replaceAll("^.* - ", "")).reduce((a, b) -> b).orElse("its log gives no reason");
        return Optional.of("inference-service was started with argus.inference.onnx.cuda=true and serves on the "
                + "CPU ('" + loaded + "'): " + why + ". Is the packaged inference-service the GPU build "
                + "(./mvnw package -Pgpu)?");
    }

    /** Writes the records that make the service serve the bundles, as the trainer writes them. */
    private static void announce(String bootstrap, List<BenchBundles.Announcement> records) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            for (BenchBundles.Announcement a : records) {
                p.send(new ProducerRecord<>(Topics.MODELS, a.key(), Json.write(a.event()))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the service runs the candidate in shadow; fails with its log's end if it does not. */
    private static void awaitShadow(InferenceProcess inference, Duration timeout, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inference.endpoints().total("argus_shadow_candidate_version") != 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("inference-service did not run v2 in shadow within " + timeout
                        + " (argus_shadow_candidate_version " + inference.endpoints().total("argus_shadow_candidate_version")
                        + "); its log ends:\n" + LogTail.of(log, 30));
            }
            Thread.sleep(200);
        }
    }

    /** A counter once it has stopped moving (read every 200 ms, at most 30 s). */
    private static double settled(InferenceProcess inference, String name) throws Exception {
        double last = inference.endpoints().total(name);
        for (int i = 0; i < 150; i++) {
            Thread.sleep(200);
            double now = inference.endpoints().total(name);
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String id, byte[] image, Results results, int i) {
        results.sent(i, System.nanoTime());
        producer.send(new RawImage(id, "bench-camera", Instant.now(), null, null, image).toRecord(Topics.RAW));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return KafkaClients.bootstrap(bootstrap).loadProducer("argus-bench-load");
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
