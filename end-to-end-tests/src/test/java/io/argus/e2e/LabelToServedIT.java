package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.Classification;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.contract.ShadowResult;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;

@ExtendWith(StackExtension.class)
class LabelToServedIT {

    /** The shadow window: distinct images the candidate answers beside the champion before it may serve. */
    private static final int WINDOW = 150;
    /**
     * Confident images an untargeted sensor needs before the agreement rule judges it (the default,
     * 50, is more than the ordinary camera's share of this short window holds).
     */
    private static final int MIN_IMAGES = 20;
    private static final int PER_SECOND = 80;
    private static final String ORDINARY = "served-cam";
    private static final String NEW_CAMERA = "served-new-cam";

    /**
     * The demo's learning round on the packaged services, with shadow before promotion on: a camera
     * with inverted contrast comes online; people label 50 of its images (the 25 the model was least
     * sure about and 25 at random) through REST, by image id. The trainer starts a run by itself;
     * when its gate asks for more labels of the camera, 50 more are given, as people would. The
     * candidate passes the gate and goes SHADOW, not served: while the two cameras stream, the
     * packaged inference runs it beside the champion and writes both answers per image to
     * {@code argus.images.shadow}; every image has exactly one result, the champion's. When the
     * candidate has answered the window's images and agrees with the champion where the ordinary
     * camera's images were confident, the trainer promotes it and inference serves it: the new camera
     * is classified far better, and the ordinary cameras, on the very images they sent before, keep
     * their accuracy.
     *
     * <p>The trainer runs with {@code argus.trainer.shadow.images} here (restarted with it, then
     * restarted as the stack runs it: the demo and the other tests promote at once).
     */
    @Test
    void aNewCamerasFiftyLabelsGoThroughShadowArePromotedServedAndTheOrdinaryCamerasLoseNothing(ArgusStack stack)
            throws Exception {
        // The restart overlaps the first images: inference and ingest classify them without the trainer.
        TrainerState.awaitReplaySeeded(stack);
        stack.trainer().stop();
        List<String> shadowOn = new ArrayList<>(List.of("-Dargus.trainer.shadow.images=" + WINDOW,
                "-Dargus.trainer.shadow.min-images=" + MIN_IMAGES));
        if (Break.is("shadow-rejects")) {
            // No candidate can agree with the champion on more than all of its confident images.
            shadowOn.add("-Dargus.trainer.shadow.min-agreement=1.01");
        }
        stack.startTrainer(shadowOn.toArray(String[]::new));
        AtomicBoolean restored = new AtomicBoolean();
        try {
            learningRound(stack, restored);
        } finally {
            if (!restored.get()) {
                stack.trainer().stop();
                stack.startTrainer();
            }
            stack.awaitTrainer();
        }
    }

    /** Sets {@code restored} when it has restarted the trainer as the stack runs it (beside the last images). */
    private static void learningRound(ArgusStack stack, AtomicBoolean restored) throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        Map<String, String> ordinary = TrainerApi.sendThroughIngest(stack, images, 0, 500, ORDINARY);
        Map<String, String> newCamera = TrainerApi.sendThroughIngest(stack, images, 500, 800, NEW_CAMERA, true);
        Ledger before = Ledger.read(stack.bootstrap(), union(ordinary, newCamera), Duration.ofSeconds(90));
        double ordinaryBefore = TrainerApi.accuracy(before, ordinary);
        double newBefore = TrainerApi.accuracy(before, newCamera);
        int versionBefore = stack.servedVersion();
        stack.awaitTrainer();

        List<Classification> byConfidence = TrainerApi.leastConfidentFirst(before, newCamera);
        List<Classification> pick = new ArrayList<>(byConfidence.subList(0, 25));
        List<Classification> rest = new ArrayList<>(byConfidence.subList(25, byConfidence.size()));
        Collections.shuffle(rest, new Random(42));
        pick.addAll(rest.subList(0, 25));
        int runsBefore = TrainerApi.runs(stack).size();
        try (TopicReader models = TopicReader.fromNow(stack.bootstrap(), Topics.MODELS);
             TopicReader shadowTopic = TopicReader.fromNow(stack.bootstrap(), Topics.SHADOW)) {
            Instant labelsGiven = Instant.now();
            HttpResponse<String> labeled = TrainerApi.label(stack, newCamera, pick, "field-team");
            assertThat(labeled.statusCode()).as(labeled.body()).isEqualTo(201);

            JsonNode run = awaitRun(stack, runsBefore);
            JsonNode decision = run.get("result").get("decision");
            assertThat(run.get("trigger").asText()).contains("50 new labels");
            if (!decision.get("status").asText().equals("SHADOW") && decision.get("reason").asText().contains("more labels")) {
                // As people at the desk would: the gate asked for more labels of the camera; give 50 more.
                HttpResponse<String> more = TrainerApi.label(stack, newCamera, rest.subList(25, 75), "field-team");
                assertThat(more.statusCode()).as(more.body()).isEqualTo(201);
                run = awaitRun(stack, runsBefore + 1);
                decision = run.get("result").get("decision");
            }
            int version = run.get("result").get("version").asInt();
            assertThat(decision.get("status").asText()).as("the gate's decision: %s", decision.get("reason").asText())
                    .isEqualTo("SHADOW");
            assertThat(stack.servedVersion()).as("v%d in shadow is not served", version).isEqualTo(versionBefore);

            Shadow shadow = streamUntilDecided(stack, images, models, version);
            List<ShadowResult> answered = shadowResults(shadowTopic, version);
            JsonNode view = TrainerApi.model(stack, version).get("shadow");
            Ledger duringShadow = Ledger.read(stack.bootstrap(), shadow.truth.keySet(), Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "LABELS->RUN v%d: labels -> SHADOW %.1f s, SHADOW -> %s %.1f s (%d images "
                            + "streamed at %d/s); %s%n", version, seconds(labelsGiven, shadow.entered.at()),
                    shadow.decided.status(), seconds(shadow.entered.at(), shadow.decided.at()), shadow.truth.size(),
                    PER_SECOND, shadow.decided.reason());
            assertShadow(shadow, answered, view, duringShadow, version, versionBefore);

            long served = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stack.servedVersion() != version && System.nanoTime() < served) {
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "LABELS->RUN v%d served %.1f s after its PROMOTED%n", version,
                    seconds(shadow.decided.at(), Instant.now()));
            assertThat(stack.servedVersion()).isEqualTo(version).isNotEqualTo(versionBefore);
            // The trainer is not needed for the rest: restarted as the stack runs it, beside the last images.
            stack.trainer().stop();
            stack.startTrainer();
            restored.set(true);

            Map<String, String> newAfter = TrainerApi.sendThroughIngest(stack, images, 800, 1000, NEW_CAMERA, true);
            Map<String, String> ordinaryAgain = TrainerApi.sendThroughIngest(stack, images, 0, 500, ORDINARY);
            Ledger after = Ledger.read(stack.bootstrap(), union(newAfter, ordinaryAgain), Duration.ofSeconds(90));
            double newCameraAfter = TrainerApi.accuracy(after, newAfter);
            double ordinaryAfter = TrainerApi.accuracy(after, ordinaryAgain);
            System.out.printf(Locale.ROOT, "LABELS->RUN new camera %.1f%% -> %.1f%%; ordinary camera %.1f%% -> %.1f%% "
                    + "(the same 500 images)%n", 100 * newBefore, 100 * newCameraAfter, 100 * ordinaryBefore,
                    100 * ordinaryAfter);
            assertThat(newCameraAfter).isGreaterThan(newBefore + 0.3);
            assertThat(ordinaryAfter).as("the ordinary camera on the same images").isBetween(ordinaryBefore - 0.02,
                    ordinaryBefore + 0.02);
        }
    }

    /** The SHADOW event, the decision that ended the window, and the images streamed meanwhile (ids, true labels, sensors). */
    private record Shadow(ModelEvent entered, ModelEvent decided, List<ConsumerRecord<String, byte[]>> events,
                          Map<String, String> truth, Map<String, String> sensors) {
    }

    /**
     * Streams both cameras (one image each in turn) from the candidate's SHADOW event until the
     * trainer decides about it on {@code argus.models}.
     */
    private static Shadow streamUntilDecided(ArgusStack stack, LabeledImages images, TopicReader models, int version)
            throws Exception {
        Map<String, String> truth = new ConcurrentHashMap<>();
        Map<String, String> sensors = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Background cameras = Background.start("shadow-cameras", () -> {
            long start = System.nanoTime();
            // Bounded, so that a test that failed half way does not leave a camera streaming.
            long end = start + Duration.ofSeconds(90).toNanos();
            for (int i = 0; !stop.get() && System.nanoTime() < end; i++) {
                Pace.await(start, i, PER_SECOND);
                boolean inverted = i % 2 == 1;
                int index = inverted ? 800 + i / 2 % 200 : i / 2 % 500;
                byte[] png = inverted ? SimulatedCameras.png(SimulatedCameras.invert(images.image(index)))
                        : images.png(index);
                String sensor = inverted ? NEW_CAMERA : ORDINARY;
                HttpResponse<String> r = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", png, sensor);
                assertThat(r.statusCode()).as("ingest: %s", r.body()).isEqualTo(202);
                String id = Json.mapper().readTree(r.body()).get("imageId").asText();
                truth.put(id, FashionMnist.LABELS.get(images.labels()[index]));
                sensors.put(id, sensor);
            }
        });
        List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
        ModelEvent entered = null;
        ModelEvent decided = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (decided == null) {
                cameras.check();
                assertThat(System.nanoTime()).as("a decision about v%d in shadow (window %d images)", version, WINDOW)
                        .isLessThan(deadline);
                events.addAll(models.read(Integer.MAX_VALUE, Duration.ofMillis(100)));
                entered = find(events, version, ModelStatus.SHADOW);
                decided = find(events, version, ModelStatus.PROMOTED);
                if (decided == null) {
                    decided = find(events, version, ModelStatus.REJECTED);
                }
            }
        } finally {
            stop.set(true);
        }
        cameras.await(Duration.ofSeconds(30));
        events.addAll(models.readUntilQuiet(Duration.ofMillis(500)));
        return new Shadow(entered, decided, events, Map.copyOf(truth), Map.copyOf(sensors));
    }

    private static void assertShadow(Shadow shadow, List<ShadowResult> answered, JsonNode view, Ledger ledger,
                                     int version, int versionBefore) {
        // On argus.models: SHADOW beside the champion, no champion record until PROMOTED.
        assertThat(shadow.entered).as("SHADOW for v%d on %s", version, Topics.MODELS).isNotNull();
        assertThat(shadow.entered.previousChampion()).isEqualTo(versionBefore);
        // Every image streamed meanwhile has exactly one result, the champion's until the decision.
        assertThat(ledger.missing(shadow.truth.keySet())).as("images without a result").isZero();
        assertThat(ledger.duplicates()).as("images with more than one result").isZero();
        for (Classification c : ledger.results.values()) {
            if (c.timings().classifiedAt().isBefore(shadow.decided.at())) {
                assertThat(c.modelVersion()).as("served before the decision: %s", c.imageId()).isEqualTo(versionBefore);
            }
        }
        assertThat(shadow.decided.status()).as(shadow.decided.reason()).isEqualTo(ModelStatus.PROMOTED);
        assertThat(shadow.decided.reason()).startsWith("passed the shadow window (" + WINDOW + " images)")
                .contains("sensor " + ORDINARY);
        int shadowAt = indexOf(shadow.events, version, ModelStatus.SHADOW);
        int promotedAt = indexOf(shadow.events, version, ModelStatus.PROMOTED);
        assertThat(shadowAt).isLessThan(promotedAt);
        for (int i = 0; i < shadow.events.size(); i++) {
            ConsumerRecord<String, byte[]> r = shadow.events.get(i);
            if (ModelEvent.championKey("argus").equals(r.key()) && r.value() != null
                    && Json.read(r.value(), ModelEvent.class).version() == version) {
                assertThat(i).as("a champion record naming v%d, before its PROMOTED", version).isGreaterThan(promotedAt);
            }
        }

        // The window was complete when the trainer decided, by its own count and by the topic's.
        assertThat(view.path("images").asInt()).as("images the trainer counted: %s", view).isGreaterThanOrEqualTo(WINDOW);
        assertThat(view.path("decision").path("status").asText()).isEqualTo("PROMOTED");
        long beforeDecision = answered.stream().filter(a -> !a.at().isAfter(shadow.decided.at()))
                .map(ShadowResult::imageId).distinct().count();
        assertThat(beforeDecision).as("distinct images answered in shadow before the decision")
                .isGreaterThanOrEqualTo(WINDOW);

        // The packaged inference ran the candidate beside the champion: the champion's answer in each
        // shadow record is the one it served, the candidate's its own (it learned the new camera).
        int checked = 0;
        int candidateRight = 0;
        int championRight = 0;
        int newCamera = 0;
        for (ShadowResult a : answered) {
            assertThat(a.champion().version()).as("the champion beside v%d", version).isEqualTo(versionBefore);
            Classification served = ledger.results.get(a.imageId());
            if (served == null) {
                continue;
            }
            checked++;
            assertThat(served.modelVersion()).isEqualTo(versionBefore);
            assertThat(a.champion().label()).as("the champion's answer to %s", a.imageId()).isEqualTo(served.label());
            if (NEW_CAMERA.equals(shadow.sensors.get(a.imageId()))) {
                newCamera++;
                String truth = shadow.truth.get(a.imageId());
                candidateRight += a.candidate().label().equals(truth) ? 1 : 0;
                championRight += a.champion().label().equals(truth) ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "LABELS->RUN in shadow: %d records of v%d, %d of the streamed images; on the new "
                        + "camera's %d the candidate was right %d times, the champion %d; trainer's view: %d images, "
                        + "agreement %.3f%n", answered.size(), version, checked, newCamera, candidateRight, championRight,
                view.path("images").asInt(), view.path("agreement").asDouble());
        assertThat(checked).as("streamed images answered in shadow").isGreaterThanOrEqualTo(WINDOW);
        assertThat(candidateRight - championRight).as("the candidate's answers on the new camera are its own: right "
                + "%d times, the champion %d, of %d", candidateRight, championRight, newCamera)
                .isGreaterThan(newCamera / 5);

    }

    /** The shadow records of a candidate, read until the topic is quiet. */
    private static List<ShadowResult> shadowResults(TopicReader topic, int version) {
        List<ShadowResult> results = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : topic.readUntilQuiet(Duration.ofSeconds(1))) {
            ShadowResult a = Json.read(r.value(), ShadowResult.class);
            if (a.candidate().version() == version) {
                results.add(a);
            }
        }
        return results;
    }

    /** The first event on a version's key with this status, if read. */
    private static ModelEvent find(List<ConsumerRecord<String, byte[]>> events, int version, ModelStatus status) {
        int i = indexOf(events, version, status);
        return i < 0 ? null : Json.read(events.get(i).value(), ModelEvent.class);
    }

    /** Where the first event on a version's key with this status is among those read; -1 when not read. */
    private static int indexOf(List<ConsumerRecord<String, byte[]>> events, int version, ModelStatus status) {
        for (int i = 0; i < events.size(); i++) {
            ConsumerRecord<String, byte[]> r = events.get(i);
            if (ModelEvent.versionKey("argus", version).equals(r.key()) && r.value() != null
                    && Json.read(r.value(), ModelEvent.class).status() == status) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all.keySet();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1e3;
    }

    private static JsonNode awaitRun(ArgusStack stack, int runsBefore) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            List<JsonNode> all = TrainerApi.runs(stack);
            if (all.size() > runsBefore) {
                run = all.get(0);
                if (List.of("DONE", "FAILED", "CANCELLED").contains(run.get("phase").asText())) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        assertThat(run).as("a run started by itself").isNotNull();
        assertThat(run.get("phase").asText()).as(run.toString()).isEqualTo("DONE");
        System.out.printf(Locale.ROOT, "LABELS->RUN run %s (%s): %s: %s%n", run.get("id").asText(),
                run.get("trigger").asText(), run.get("result").get("decision").get("status").asText(),
                run.get("result").get("decision").get("reason").asText());
        return run;
    }
}
