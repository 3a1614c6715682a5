package io.argus.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.LabeledSample;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;

/**
 * The trainer's state that leaks between test classes sharing one stack: a run still going, and
 * labels a class left behind (the trainer starts a run after 50 new labels, counting everyone's).
 */
final class TrainerState {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Set<String> FINISHED = Set.of("DONE", "FAILED", "CANCELLED");

    private TrainerState() {
    }

    /**
     * Waits until no run is in progress, then removes every label a person gave after the serving
     * model's newest label (what the trainer's trigger counts), until both hold at once. Test
     * classes thereby start with no run going and no new label: a class's trigger counts its own.
     */
    static void settle(ArgusStack stack, String forClass) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(6).toNanos();
        int removed = 0;
        while (true) {
            awaitNoRun(stack, deadline);
            JsonNode stats = get(stack, "/api/labels/stats");
            if (stats.path("newSinceLastModel").asInt() == 0 && runInProgress(stack) == null) {
                break;
            }
            Instant upTo = stats.path("lastModelLabelsUpTo").isTextual()
                    ? Instant.parse(stats.path("lastModelLabelsUpTo").asText()) : null;
            List<String> leftover = newLabels(stack, upTo);
            for (String id : leftover) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels/"
                        + id)).header("Authorization", "Bearer " + ArgusStack.LABELER_KEY).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 204 && r.statusCode() != 200 && r.statusCode() != 404) {
                    throw new IllegalStateException("could not remove label " + id + ": " + r.statusCode() + " " + r.body());
                }
                removed++;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trainer did not settle: " + stats);
            }
            if (leftover.isEmpty()) {
                Thread.sleep(500);
            }
        }
        System.out.printf("STACK settled for %s in %.1f s: %d labels left by other classes removed, no run in progress%n",
                forClass, (System.nanoTime() - start) / 1e9, removed);
    }

    /**
     * Waits until the trainer has written the base's replay data into the training set (it does so
     * once, on the stack's first start, beside its readiness): a test that restarts the trainer
     * before then makes the new one write it all again, on the cores the test needs.
     */
    static void awaitReplaySeeded(ArgusStack stack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        // The bundled subset's training split has 6000 images, argus.trainer.replay.base-samples is 6000.
        while (get(stack, "/api/labels/stats").path("perSource").path("dataset:fashion-mnist").asInt() < 6000) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trainer did not seed its replay data: "
                        + get(stack, "/api/labels/stats").path("perSource"));
            }
            Thread.sleep(500);
        }
    }

    /** A run not finished yet, or null. */
    static JsonNode runInProgress(ArgusStack stack) throws Exception {
        for (JsonNode run : TrainerApi.runs(stack)) {
            if (!FINISHED.contains(run.path("phase").asText())) {
                return run;
            }
        }
        return null;
    }

    private static void awaitNoRun(ArgusStack stack, long deadline) throws Exception {
        JsonNode running;
        while ((running = runInProgress(stack)) != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a training run is still going: " + running);
            }
            Thread.sleep(500);
        }
    }

    /** Sample ids of labels people gave after {@code upTo} (all of them when null), as argus.labels holds them now. */
    private static List<String> newLabels(ArgusStack stack, Instant upTo) {
        Map<String, LabeledSample> current = new LinkedHashMap<>();
        try (TopicReader labels = TopicReader.fromStart(stack.bootstrap(), Topics.LABELS)) {
            for (ConsumerRecord<String, byte[]> r : labels.readUntilQuiet(Duration.ofSeconds(2))) {
                if (r.value() == null) {
                    current.remove(r.key());
                } else {
                    current.put(r.key(), LabeledSample.fromRecord(r));
                }
            }
        }
        List<String> ids = new ArrayList<>();
        current.values().stream().filter(LabeledSample::fromPerson)
                .filter(s -> upTo == null || s.labeledAt().isAfter(upTo)).forEach(s -> ids.add(s.sampleId()));
        return ids;
    }

    private static JsonNode get(ArgusStack stack, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + path))
                .header("Authorization", "Bearer " + ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }
}
