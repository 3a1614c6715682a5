package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.argus.common.contract.Classification;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.json.Json;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelStore;
import io.argus.common.onnx.ExportedBundles;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;

/**
 * A damaged version promoted by hand under a running stream is rolled back by the trainer by
 * itself, on the labels people give to what it served, within 100 labels; the previous champion
 * serves again, and every image gets exactly one result.
 *
 * <p>The damaged version is the served one with its output columns rotated (what scored class
 * {@code i + 1} now scores class {@code i}): as confident as before, and nearly always wrong. The
 * labels are given by image id with the true labels, as a labeler would: first 30 of the previous
 * champion's results (the rollback compares the two versions, each needs
 * {@code argus.trainer.rollback.min-labels}), then, after the promotion, the damaged version's
 * results as they arrive, 5 a second. The trainer runs with {@code argus.trainer.trigger.every-labels=0}
 * here: a training run started by these labels would promote a version of its own meanwhile.
 *
 * <p>With {@code -Dargus.e2e.break=no-rollback} the trainer runs with
 * {@code argus.trainer.rollback.enabled=false}, and the test fails.
 */
@ExtendWith(StackExtension.class)
class AutomaticRollbackIT {

    private static final int MAX_LABELS = 100;
    /** The trainer's {@code argus.trainer.rollback.min-labels} (its default). */
    private static final int MIN_LABELS = 30;
    private static final int PER_SECOND = 30;
    private static final int LABELS_PER_SECOND = 5;
    private static final List<String> SENSORS = List.of("rollback-cam-0", "rollback-cam-1", "rollback-cam-2");
    private static final String LABELER = "rollback-desk";
    private static final String REASON = "automatic rollback:";

    @Test
    void aDamagedVersionPromotedByHandIsRolledBackWithin100LabelsAndEveryImageHasOneResult(ArgusStack stack)
            throws Exception {
        boolean broken = Break.is("no-rollback");
        restartTrainer(stack, "-Dargus.trainer.trigger.every-labels=0",
                "-Dargus.trainer.rollback.enabled=" + !broken);
        int before = stack.servedVersion();
        int damaged = storeADamagedCopy(stack, before);
        try {
            run(stack, before, damaged);
        } finally {
            // The next test class finds the version it would have found, none of these labels, and
            // the trainer as the stack runs it.
            if (stack.servedVersion() != before) {
                HotSwapIT.promote(stack, before);
            }
            TrainerState.settle(stack, AutomaticRollbackIT.class.getSimpleName() + " (after)");
            restartTrainer(stack);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stack.servedVersion() != before && System.nanoTime() < deadline) {
                Thread.sleep(300);
            }
        }
        assertThat(stack.servedVersion()).as("v%d served again after the test", before).isEqualTo(before);
    }

    private static void run(ArgusStack stack, int before, int damaged) throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        Map<String, String> truth = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Classification> served = new HashMap<>();
        Set<String> labeled = new HashSet<>();
        Map<Integer, Integer> labelsOf = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
        try (TopicReader results = TopicReader.fromNow(stack.bootstrap(), Topics.CLASSIFIED);
             TopicReader models = TopicReader.fromNow(stack.bootstrap(), Topics.MODELS)) {
            Background cameras = Background.start("cameras", () -> {
                long start = System.nanoTime();
                // Bounded, so that a test that failed half way does not leave a camera streaming.
                long end = start + Duration.ofMinutes(3).toNanos();
                for (int i = 0; !stop.get() && System.nanoTime() < end; i++) {
                    Pace.await(start, i, PER_SECOND);
                    HttpResponse<String> r = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images",
                            test.png(i % test.count()), SENSORS.get(i % SENSORS.size()));
                    assertThat(r.statusCode()).as("ingest: %s", r.body()).isEqualTo(202);
                    truth.put(Json.mapper().readTree(r.body()).get("imageId").asText(),
                            FashionMnist.LABELS.get(test.labels()[i % test.count()]));
                }
            });

            // The previous champion's results get their labels first, as a labeler had given them before.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Classification> first;
            while ((first = unlabeled(results, served, truth, labeled, before)).size() < MIN_LABELS) {
                cameras.check();
                assertThat(System.nanoTime()).as("%d results of v%d", MIN_LABELS, before).isLessThan(deadline);
            }
            label(stack, truth, first.subList(0, MIN_LABELS), labeled, labelsOf);

            long promoted = System.nanoTime();
            Instant promotedAt = Instant.now();
            HotSwapIT.promote(stack, damaged);
            ModelEvent withdrawn = null;
            int labelsAtRollback = 0;
            deadline = promoted + Duration.ofSeconds(90).toNanos();
            long givenUp = Long.MAX_VALUE;
            while (withdrawn == null) {
                cameras.check();
                long tick = System.nanoTime();
                events.addAll(models.read(Integer.MAX_VALUE, Duration.ofMillis(50)));
                withdrawn = find(events, damaged, ModelStatus.WITHDRAWN);
                if (withdrawn != null) {
                    labelsAtRollback = labeled.size();
                    break;
                }
                // At 100 labels, the watch gets one more round of its own (it checks every 2 s) and a
                // little for the join; then the claim has failed.
                if (System.nanoTime() > Math.min(deadline, givenUp)) {
                    throw new AssertionError(String.format(Locale.ROOT, "no automatic rollback after %d labels "
                            + "(%d of v%d)", labeled.size(), labelsOf.getOrDefault(damaged, 0), damaged));
                }
                List<Classification> next = unlabeled(results, served, truth, labeled, damaged);
                int room = MAX_LABELS - labeled.size();
                if (room > 0 && !next.isEmpty()) {
                    label(stack, truth, next.subList(0, Math.min(Math.min(LABELS_PER_SECOND, room), next.size())),
                            labeled, labelsOf);
                    if (labeled.size() >= MAX_LABELS) {
                        givenUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    }
                }
                Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - tick) / 1_000_000));
            }
            long restoredDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            ModelEvent restored;
            while ((restored = find(events, before, ModelStatus.RESTORED)) == null
                    && System.nanoTime() < restoredDeadline) {
                events.addAll(models.read(Integer.MAX_VALUE, Duration.ofMillis(200)));
            }
            // The champion record (keyed by the model name) says so too: what a restarted service reads.
            ModelEvent champion = events.stream().filter(r -> ModelEvent.championKey("argus").equals(r.key()))
                    .map(AutomaticRollbackIT::event).reduce((a, b) -> b).orElse(null);

            // Inference follows: results of images ingested after the rollback carry the previous version.
            long servedDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Classification after = null;
            while (after == null && System.nanoTime() < servedDeadline) {
                cameras.check();
                collect(results, served);
                ModelEvent w = withdrawn;
                after = served.values().stream().filter(c -> c.timings().ingestedAt().isAfter(w.at().plusSeconds(1)))
                        .filter(c -> c.modelVersion() == before).findAny().orElse(null);
            }
            stop.set(true);
            cameras.await(Duration.ofSeconds(30));

            Ledger ledger = Ledger.read(stack.bootstrap(), truth.keySet(), Duration.ofSeconds(120));
            // Both times on this machine's clock: the trainer stamps its decision, inference its answers.
            ModelEvent w = withdrawn;
            double toRollback = Duration.between(promotedAt, w.at()).toMillis() / 1e3;
            double toServed = ledger.results.values().stream().filter(c -> c.modelVersion() == before)
                    .map(c -> c.timings().classifiedAt()).filter(t -> t.isAfter(w.at())).min(Instant::compareTo)
                    .map(t -> Duration.between(w.at(), t).toMillis() / 1e3).orElse(Double.NaN);
            long damagedResults = ledger.results.values().stream().filter(c -> c.modelVersion() == damaged).count();
            long damagedRight = ledger.results.values().stream().filter(c -> c.modelVersion() == damaged)
                    .filter(c -> c.label().equals(truth.get(c.imageId()))).count();
            System.out.printf(Locale.ROOT, "ROLLBACK v%d (v%d with its output columns rotated) promoted by hand "
                            + "under %d images/s from %d sensors: WITHDRAWN after %d labels (%d of v%d's results, "
                            + "%d of v%d's, %d a second), %.1f s after the promotion; v%d answering again %.2f s after "
                            + "the rollback; v%d answered %d images, %d right; %d images, missing %d, duplicates %d; "
                            + "reason: %s%n",
                    damaged, before, PER_SECOND, SENSORS.size(),
                    labelsAtRollback, labelsOf.getOrDefault(before, 0), before, labelsOf.getOrDefault(damaged, 0),
                    damaged, LABELS_PER_SECOND, toRollback, before, toServed, damaged,
                    damagedResults, damagedRight, truth.size(), ledger.missing(truth.keySet()), ledger.duplicates(),
                    withdrawn.reason());

            assertThat(labelsAtRollback).as("labels given until the rollback").isLessThanOrEqualTo(MAX_LABELS);
            assertThat(withdrawn.reason()).startsWith(REASON);
            assertThat(restored).as("RESTORED for v%d on %s", before, Topics.MODELS).isNotNull();
            assertThat(restored.reason()).isEqualTo(withdrawn.reason());
            assertThat(restored.previousChampion()).isEqualTo(damaged);
            assertThat(champion).as("the champion record").isNotNull();
            assertThat(champion.version()).isEqualTo(before);
            assertThat(champion.status()).isEqualTo(ModelStatus.RESTORED);
            assertThat(after).as("a result of v%d for an image ingested after the rollback", before).isNotNull();
            assertThat(stack.servedVersion()).isEqualTo(before);
            assertThat(damagedResults).as("v%d served for a while", damaged)
                    .isGreaterThanOrEqualTo(labelsOf.get(damaged));
            assertThat(ledger.missing(truth.keySet())).as("images without a result").isZero();
            assertThat(ledger.duplicates()).as("images with more than one result").isZero();
        }
    }

    /** Results read so far of {@code version} whose image is known and not labeled yet, oldest first. */
    private static List<Classification> unlabeled(TopicReader results, Map<String, Classification> served,
                                                  Map<String, String> truth, Set<String> labeled, int version) {
        collect(results, served);
        return served.values().stream().filter(c -> c.modelVersion() == version)
                .filter(c -> truth.containsKey(c.imageId()) && !labeled.contains(c.imageId()))
                .sorted(Comparator.comparing(c -> c.timings().classifiedAt())).toList();
    }

    private static void collect(TopicReader results, Map<String, Classification> served) {
        for (ConsumerRecord<String, byte[]> r : results.read(Integer.MAX_VALUE, Duration.ofMillis(100))) {
            Classification.fromRecord(r).ifPresent(c -> served.putIfAbsent(c.imageId(), c));
        }
    }

    private static void label(ArgusStack stack, Map<String, String> truth, List<Classification> which,
                              Set<String> labeled, Map<Integer, Integer> labelsOf) throws Exception {
        HttpResponse<String> r = TrainerApi.label(stack, truth, which, LABELER);
        assertThat(r.statusCode()).as("labels: %s", r.body()).isEqualTo(201);
        which.forEach(c -> {
            labeled.add(c.imageId());
            labelsOf.merge(c.modelVersion(), 1, Integer::sum);
        });
    }

    private static ModelEvent event(ConsumerRecord<String, byte[]> r) {
        return r.value() == null ? null : Json.read(r.value(), ModelEvent.class);
    }

    /** The event on a version's key ({@code argus#v<version>}, not the champion record) with this status, if read. */
    private static ModelEvent find(List<ConsumerRecord<String, byte[]>> events, int version, ModelStatus status) {
        return events.stream().filter(r -> ModelEvent.versionKey("argus", version).equals(r.key()))
                .map(AutomaticRollbackIT::event).filter(e -> e != null && e.status() == status)
                .findFirst().orElse(null);
    }

    /**
     * Stores the served version again as the next version with its output columns rotated (the
     * weights and bias that scored class {@code i + 1} now score class {@code i}), exported and
     * stored as the trainer would; returns the new version.
     */
    private static int storeADamagedCopy(ArgusStack stack, int version) throws Exception {
        ModelStore store = new ModelStore(stack.store);
        ModelBundle bundle = store.load(store.find(new ModelId("argus", version)).orElseThrow());
        BundleManifest m = bundle.manifest();
        Layer output = HotSwapIT.outputLayer(bundle.network());
        INDArray w = output.getParam("W");
        INDArray b = output.getParam("b");
        INDArray w0 = w.dup();
        INDArray b0 = b.dup();
        int classes = (int) w.size(1);
        for (int i = 0; i < classes; i++) {
            w.putColumn(i, w0.getColumn((i + 1) % classes));
            b.putScalar(i, b0.getDouble((i + 1) % classes));
        }
        int next = store.nextVersion("argus");
        BundleManifest copy = BundleManifest.builder("argus", next, m.labels(), m.inputSpec())
                .provenance(m.provenance()).metrics(m.metrics()).sensorCalibrations(m.calibrations()).build();
        store.save(ExportedBundles.of(copy, bundle.network()));
        return next;
    }

    private static void restartTrainer(ArgusStack stack, String... options) throws Exception {
        stack.trainer().stop();
        stack.startTrainer(options);
        stack.awaitTrainer();
    }
}
