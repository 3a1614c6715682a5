package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.onnx.ExportedBundles;
import io.argus.common.topics.Topics;

/**
 * A second version is promoted while images stream in. Every image must get exactly one result;
 * on every raw partition the results switch from the old version to the new one at a single
 * point; and the wait at that point is within what the same stream shows elsewhere plus one
 * batch (the promise: a swap costs at most one batch).
 *
 * <p>The second version is the served one with its bias for "Bag" raised (a copy with a new
 * version number, exported and stored as the trainer would), so the test needs no second pretrain
 * and the two versions answer detectably differently. With {@code -Dargus.e2e.break=swap-pause}
 * inference runs with the fault {@code argus.inference.fault.swap-pause=1s}, and the test fails.
 */
@ExtendWith(StackExtension.class)
class HotSwapIT {

    private static final int IMAGES = 800;
    private static final int PER_SECOND = 100;
    /** Inference's {@code argus.inference.batch.max-wait} (its default): part of one batch's time. */
    private static final long MAX_WAIT_MS = 25;
    private static final String RAISED = "Bag";

    @Test
    void promotingAVersionUnderLoadSwitchesEveryPartitionOnceWithoutLosingAnImage(ArgusStack stack) throws Exception {
        boolean broken = Break.is("swap-pause");
        if (broken) {
            stack.inference().stop();
            stack.startInference("-Dargus.inference.fault.swap-pause=1s");
            stack.awaitInference();
        }
        int before = stack.servedVersion();
        int next = storeABiasedCopy(stack, before);
        try {
            run(stack, before, next);
        } finally {
            // The next test class finds the version it would have found.
            promote(stack, before);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stack.servedVersion() != before && System.nanoTime() < deadline) {
                Thread.sleep(300);
            }
            if (broken) {
                stack.inference().stop();
                stack.startInference();
                stack.awaitInference();
            }
        }
        assertThat(stack.servedVersion()).as("v%d served again after the test", before).isEqualTo(before);
    }

    private static void run(ArgusStack stack, int before, int next) throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        Set<String> ids = new HashSet<>();
        Background promoter = Background.start("promoter", () -> {
            Thread.sleep(3000);
            promote(stack, next);
        });
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        // Not the services' producer (KafkaClients lingers 2 ms): with linger.ms 0 each image leaves when it is
        // paced, so the gaps measured between classifications are the service's alone.
        try (KafkaProducer<String, byte[]> camera = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrap(),
                "linger.ms", 0), new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < IMAGES; i++) {
                Pace.await(start, i, PER_SECOND);
                promoter.check();
                String id = "swap-" + i;
                sent.add(camera.send(new RawImage(id, "swap-cam-" + (i % 8), Instant.now(), "image/png", null,
                        test.png(i % test.count())).toRecord(Topics.RAW)));
                ids.add(id);
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        promoter.await(Duration.ofSeconds(30));

        Ledger ledger = Ledger.read(stack.bootstrap(), ids, Duration.ofSeconds(120));
        assertThat(ledger.missing(ids)).isZero();
        assertThat(ledger.duplicates()).isZero();

        Map<Integer, List<Classification>> byPartition = new HashMap<>();
        ledger.results.values().forEach(c -> byPartition.computeIfAbsent(c.source().partition(), p -> new ArrayList<>()).add(c));
        List<Long> elsewhere = new ArrayList<>();
        List<Long> atSwitch = new ArrayList<>();
        for (List<Classification> results : byPartition.values()) {
            results.sort(Comparator.comparingLong(c -> c.source().offset()));
            int switches = 0;
            for (int i = 1; i < results.size(); i++) {
                Classification a = results.get(i - 1);
                Classification b = results.get(i);
                assertThat(b.modelVersion()).as("versions never go back").isIn(a.modelVersion(), next);
                // How long b waited after it could have been classified: after it arrived and after a
                // was done. Idle time is not a pause.
                long gap = Duration.between(a.timings().classifiedAt(), b.timings().classifiedAt()).toMillis()
                        - Math.max(0, Duration.between(a.timings().classifiedAt(), b.timings().ingestedAt()).toMillis());
                if (b.modelVersion() != a.modelVersion()) {
                    switches++;
                    atSwitch.add(gap);
                } else {
                    elsewhere.add(gap);
                }
            }
            assertThat(switches).as("switch points on partition %d", results.get(0).source().partition()).isEqualTo(1);
            assertThat(results.get(0).modelVersion()).isEqualTo(before);
            assertThat(results.get(results.size() - 1).modelVersion()).isEqualTo(next);
        }

        // The two versions really differ: the raised class is answered far more often by the copy.
        double raisedBefore = share(ledger, before);
        double raisedAfter = share(ledger, next);
        // One batch: its wait for company plus the slowest decode and forward pass of the stream.
        double[] work = ledger.results.values().stream()
                .mapToDouble(c -> c.timings().decodeMs() + c.timings().inferenceMs()).sorted().toArray();
        long oneBatchMs = MAX_WAIT_MS + (long) Math.ceil(work[work.length - 1]);
        long[] other = elsewhere.stream().mapToLong(Long::longValue).sorted().toArray();
        long p99 = other[(int) Math.min(other.length - 1, Math.ceil(other.length * 0.99))];
        long median = other[other.length / 2];
        long worstSwitch = atSwitch.stream().mapToLong(Long::longValue).max().orElseThrow();
        long bound = p99 + oneBatchMs;
        System.out.printf(Locale.ROOT, "HOTSWAP v%d -> v%d (a copy with the %s bias raised) under %d images/s: %d "
                        + "images, %d partitions, each switched once; waits at the switch %s ms; elsewhere median %d ms, "
                        + "p99 %d ms, max %d ms (%d gaps); one batch %d ms; bound p99 + one batch = %d ms; '%s' answered "
                        + "%.1f%% by v%d, %.1f%% by v%d; missing 0, duplicates 0%n", before, next, RAISED, PER_SECOND,
                ids.size(), byPartition.size(), atSwitch, median, p99, other[other.length - 1], other.length, oneBatchMs,
                bound, RAISED, 100 * raisedBefore, before, 100 * raisedAfter, next);

        assertThat(raisedAfter).as("v%d is detectably another model", next).isGreaterThan(raisedBefore + 0.15);
        assertThat(worstSwitch).as("the wait at the swap: at most the stream's p99 wait plus one batch")
                .isLessThanOrEqualTo(bound);
        assertThat(stack.servedVersion()).isEqualTo(next);
    }

    /** The share of a version's results that name the raised class. */
    private static double share(Ledger ledger, int version) {
        List<Classification> of = ledger.results.values().stream().filter(c -> c.modelVersion() == version).toList();
        return (double) of.stream().filter(c -> c.label().equals(RAISED)).count() / of.size();
    }

    /**
     * Stores the served version again as the next version, with its output bias for {@link #RAISED}
     * raised by 10 (its ONNX graph exported from the changed network and checked, as the trainer
     * exports); returns the new version.
     */
    private static int storeABiasedCopy(ArgusStack stack, int version) throws Exception {
        ModelStore store = new ModelStore(stack.store);
        StoredModel served = store.find(new ModelId("argus", version)).orElseThrow();
        ModelBundle bundle = store.load(served);
        BundleManifest m = bundle.manifest();
        Model network = bundle.network();
        INDArray bias = outputBias(network);
        int raised = m.labels().indexOf(RAISED);
        bias.putScalar(raised, bias.getDouble(raised) + 10.0);
        int next = store.nextVersion("argus");
        BundleManifest copy = BundleManifest.builder("argus", next, m.labels(), m.inputSpec())
                .provenance(m.provenance()).metrics(m.metrics()).sensorCalibrations(m.calibrations()).build();
        store.save(ExportedBundles.of(copy, network));
        return next;
    }

    private static INDArray outputBias(Model network) {
        return outputLayer(network).getParam("b");
    }

    /** The network's output layer (its parameters are views: changing them changes the network). */
    static Layer outputLayer(Model network) {
        if (network instanceof MultiLayerNetwork mln) {
            return mln.getLayer(mln.getnLayers() - 1);
        }
        if (network instanceof ComputationGraph cg) {
            return cg.getOutputLayer(0);
        }
        throw new IllegalStateException("no output layer known in a " + network.getClass().getSimpleName());
    }

    /** Promotes a stored version by hand, as an admin would ({@code POST /api/models/{version}/promote}). */
    static void promote(ArgusStack stack, int version) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.trainerUrl() + "/api/models/" + version + "/promote"))
                .header("Authorization", "Bearer " + ArgusStack.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("promoting v%d: %s", version, r.body()).isEqualTo(200);
    }
}
