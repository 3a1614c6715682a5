package io.argus.tools.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DriftEvent;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.Topics;
import io.argus.tools.CommandLine;

/**
 * The demo stream: Fashion-MNIST test images, encoded as PNG like a camera would send them,
 * uploaded to ingest at a steady rate by a few simulated sensors, while the classified and
 * dead-letter topics are watched. Prints live progress every second and a summary at the end:
 * counts, throughput, latency from ingest to a visible classification, and accuracy against
 * the known labels, and the sensors inference flagged as drifted while each stream ran.
 */
public final class DemoMain {

    private static final int MAX_IN_FLIGHT = 64;

    private DemoMain() {
    }

    public static int run(String[] args) throws Exception {
        return CommandLine.run(args, DemoOptions.USAGE, DemoOptions::parse, DemoMain::demo);
    }

    private static int demo(DemoOptions options) throws Exception {
        FashionMnist.Data data = FashionMnist.load(options.data());
        LabeledImages images = data.test();
        Watcher.warmUp();
        Watcher watcher = new Watcher(options.bootstrapServers());
        Thread watching = new Thread(watcher, "demo-watcher");
        watching.setDaemon(true);
        watching.start();
        watcher.awaitAssigned();

        System.out.printf(Locale.ROOT, "Streaming %d Fashion-MNIST test images (%s) as PNG at %.0f/s from %d sensors to %s%n",
                options.count(), data.source(), options.rate(), options.sensors(), options.ingestUrl());
        Tally first = stream(options, images, 0, options.count(), watcher);
        summary("Demo summary", options, first);
        boolean complete = first.unaccounted() == 0;

        if (options.label() > 0 && options.after() > 0) {
            // Labels teach a model most where the world has changed: a new camera whose images
            // look different (here: contrast inverted, objects dark on a light background).
            System.out.printf(Locale.ROOT, "%nA new camera comes online; its images have inverted contrast (dark objects on a"
                    + " light background). Streaming %d of them at %.0f/s ...%n", options.after(), options.rate());
            Tally newCamera = stream(options, images, options.count(), options.after(), watcher, NEW_CAMERA);
            summary("New camera, before learning", options, newCamera);
            complete &= newCamera.unaccounted() == 0;
            int before = served(options);
            int served = new LearningRound(options).run(newCamera);
            if (served > 0 && served != before) {
                System.out.printf(Locale.ROOT, "%nStreaming %d more images of the new camera (not seen before) at %.0f/s on"
                        + " v%d ...%n", options.after(), options.rate(), served);
                Tally after = stream(options, images, options.count() + options.after(), options.after(), watcher,
                        NEW_CAMERA);
                summary("New camera, after learning", options, after);
                complete &= after.unaccounted() == 0;
                // The ordinary cameras again, on the same images they sent first: did they lose anything?
                System.out.printf(Locale.ROOT, "%nThe ordinary cameras send the first %d images of their stream again,"
                        + " on v%d ...%n", options.after(), served);
                Tally ordinary = stream(options, images, 0, options.after(), watcher);
                complete &= ordinary.unaccounted() == 0;
                perCamera(options, before, served, first, ordinary, newCamera, after);
            }
        }
        watcher.stop();
        return complete ? 0 : 1;
    }

    /** Accuracy per camera, before and after learning, side by side. */
    private static void perCamera(DemoOptions options, int v1, int v2, Tally firstStream, Tally ordinaryAfter,
                                  Tally newBefore, Tally newAfter) {
        double[] ordinaryBefore = firstStream.accuracyBelow(options.after());
        double[] ordinaryNow = ordinaryAfter.accuracyBelow(options.after());
        System.out.println();
        System.out.println("Accuracy per camera, before and after learning");
        System.out.println("-----------------------------------------------");
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %10s%n", "camera (images)", "v" + v1, "v" + v2, "change");
        System.out.printf(Locale.ROOT, "%-34s %11.1f%% %11.1f%% %+9.1f%n",
                "ordinary cameras (" + (int) ordinaryNow[1] + ", the same)", 100 * ordinaryBefore[0],
                100 * ordinaryNow[0], 100 * (ordinaryNow[0] - ordinaryBefore[0]));
        System.out.printf(Locale.ROOT, "%-34s %11.1f%% %11.1f%% %+9.1f%n",
                "new camera (" + newBefore.classified() + " / " + newAfter.classified() + ")", 100 * newBefore.accuracy(),
                100 * newAfter.accuracy(), 100 * (newAfter.accuracy() - newBefore.accuracy()));
    }

    /** The version inference serves now, from its readiness check; -1 if it cannot be read. */
    private static int served(DemoOptions options) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    options.inferenceUrl() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : Json.mapper().readTree(r.body()).path("checks")) {
                if (check.path("name").asText().equals("model")) {
                    return check.path("data").path("version").asInt(-1);
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    /** The sensor id of the new camera and how its images differ. */
    private static final String NEW_CAMERA = "new-camera";

    private static Tally stream(DemoOptions options, LabeledImages images, int from, int count, Watcher watcher)
            throws Exception {
        return stream(options, images, from, count, watcher, null);
    }

    /**
     * Uploads {@code count} images starting at index {@code from}, at the configured rate, and
     * waits for their results. {@code camera} null: the usual cameras; else one camera whose images
     * have inverted contrast.
     */
    private static Tally stream(DemoOptions options, LabeledImages images, int from, int count, Watcher watcher,
                                String camera) throws Exception {
        Tally tally = new Tally();
        watcher.tally(tally);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long start = System.nanoTime();
        long intervalNanos = (long) (1e9 / options.rate());
        long nextReport = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = (from + i) % images.count();
            boolean bad = options.badEvery() > 0 && (i + 1) % options.badEvery() == 0;
            byte[] png = camera == null ? images.png(index)
                    : SimulatedCameras.png(SimulatedCameras.invert(images.image(index)));
            byte[] body = bad ? Arrays.copyOf(png, png.length / 2) : png;
            String label = FashionMnist.LABELS.get(images.labels()[index]);
            inFlight.acquire();
            tally.sent.incrementAndGet();
            HttpRequest request = ApiKey.with(HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/api/images")),
                            ApiKey.SENSOR)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "image/png")
                    .header("X-Sensor-Id", camera != null ? camera : "demo-cam-" + (i % options.sensors()))
                    .header("X-Captured-At", Instant.now().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        record(tally, label, index, response, error);
                    });
            if (System.nanoTime() > nextReport) {
                nextReport += 1_000_000_000L;
                System.out.println(tally.line(count));
            }
        }
        inFlight.acquire(MAX_IN_FLIGHT);
        tally.sendSeconds = (System.nanoTime() - start) / 1e9;
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleSeconds());
        while (tally.unaccounted() > 0 && System.nanoTime() < settleUntil) {
            Thread.sleep(1000);
            System.out.println(tally.line(count));
        }
        Thread.sleep(1500); // let late duplicates show up in the count
        return tally;
    }

    private static void record(Tally tally, String label, int index, HttpResponse<String> response, Throwable error) {
        if (error != null) {
            tally.failed.incrementAndGet();
            return;
        }
        if (response.statusCode() == 202) {
            JsonNode body = parse(response.body());
            String imageId = body == null ? null : body.path("imageId").asText(null);
            if (imageId != null) {
                tally.accepted(imageId, label, index);
            }
        } else if (response.statusCode() >= 400 && response.statusCode() < 500) {
            tally.refused.incrementAndGet();
        } else {
            tally.failed.incrementAndGet();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static void summary(String title, DemoOptions options, Tally tally) {
        int lost = tally.unaccounted();
        System.out.println();
        System.out.println(title);
        System.out.println("-".repeat(title.length()));
        System.out.printf(Locale.ROOT, "images sent              %d in %.1f s (%.1f/s offered)%n", tally.sent.get(),
                tally.sendSeconds, tally.sent.get() / tally.sendSeconds);
        System.out.printf(Locale.ROOT, "accepted by ingest       %d%n", tally.accepted());
        System.out.printf(Locale.ROOT, "refused by ingest        %d (a broken file is sent on purpose every %d images)%n",
                tally.refused.get(), options.badEvery());
        System.out.printf(Locale.ROOT, "upload errors            %d%n", tally.failed.get());
        System.out.printf(Locale.ROOT, "classified               %d (duplicate results %d)%n", tally.classified(),
                tally.duplicates());
        System.out.printf(Locale.ROOT, "dead-lettered            %d%n", tally.deadLettered());
        System.out.printf(Locale.ROOT, "accepted, not accounted  %d%n", lost);
        System.out.printf(Locale.ROOT, "throughput               %.1f images/s (classified, first to last)%n",
                tally.throughput());
        System.out.printf(Locale.ROOT, "latency ingest->visible  p50 %d ms, p95 %d ms, p99 %d ms, max %d ms "
                        + "(from ingest writing the image to this client reading its committed result)%n",
                tally.percentile(50), tally.percentile(95), tally.percentile(99), tally.percentile(100));
        System.out.printf(Locale.ROOT, "  of which in inference  p50 %d ms, p95 %d ms, p99 %d ms, max %d ms "
                        + "(ingest writing it to inference publishing the result)%n",
                tally.inferencePercentile(50), tally.inferencePercentile(95), tally.inferencePercentile(99),
                tally.inferencePercentile(100));
        System.out.printf(Locale.ROOT, "accuracy                 %.2f%% (%d of %d against the true labels)%n",
                100 * tally.accuracy(), tally.correct(), tally.classified());
        List<String> drift = tally.drift().lines();
        for (int i = 0; i < drift.size(); i++) {
            System.out.println((i == 0 ? "drift (argus.sensors.drift) " : " ".repeat(28)) + drift.get(i));
        }
        StringBuilder versions = new StringBuilder();
        tally.perVersion().forEach((v, n) -> versions.append(versions.length() == 0 ? "" : ", ").append("v").append(v)
                .append(": ").append(n));
        System.out.println("results by model version  " + versions);
    }

    /** Reads the classified and dead-letter topics from "now" and matches results to sent images. */
    private static final class Watcher implements Runnable {
        private final KafkaConsumer<String, byte[]> consumer;
        private volatile Tally tally = new Tally();
        private final CountDownLatch assigned = new CountDownLatch(1);
        private volatile boolean running = true;

        Watcher(String bootstrap) {
            this.consumer = KafkaClients.bootstrap(bootstrap).reader("argus-demo-watcher");
        }

        /** Loads and exercises the JSON mapping once, so the first real results are not timed on a cold reader. */
        static void warmUp() {
            Instant t = Instant.now();
            Classification sample = Classification.builder().image("warm-up", "none", t)
                    .topK(List.of(new Classification.LabelScore("x", 1))).model("none", 0)
                    .source(new Classification.Source(Topics.RAW, 0, 0))
                    .timings(new Classification.Timings(t, t, 0, 0, 1)).build();
            for (int i = 0; i < 2000; i++) {
                Json.read(Json.write(sample), Classification.class);
            }
        }

        void awaitAssigned() throws InterruptedException {
            assigned.await();
        }

        void stop() {
            running = false;
        }

        /** Where results go from now on. */
        void tally(Tally t) {
            tally = t;
        }

        @Override
        public void run() {
            try (consumer) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.CLASSIFIED, Topics.DLQ, Topics.DRIFT)) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.topic().equals(Topics.CLASSIFIED)) {
                            Classification c = Json.read(r.value(), Classification.class);
                            tally.classified(r.key(), c, System.currentTimeMillis());
                            tally.drift().result(c);
                        } else if (r.topic().equals(Topics.DRIFT)) {
                            if (r.value() != null) {
                                tally.drift().event(Json.read(r.value(), DriftEvent.class));
                            }
                        } else {
                            tally.deadLettered(r.key());
                        }
                    }
                }
            }
        }
    }
}
