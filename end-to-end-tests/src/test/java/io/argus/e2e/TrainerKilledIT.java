package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import com.fasterxml.jackson.databind.JsonNode;
import io.argus.common.contract.Classification;
import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import java.util.Set;

/**
 * The trainer is killed (SIGKILL) in the middle of a training run: after its restart the run is
 * reported FAILED with the reason, inference never stopped serving the champion, and the next
 * labels start a run that completes.
 */
@ExtendWith(StackExtension.class)
class TrainerKilledIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> TRAINING = Set.of("TRAINING", "TRAINING_HEAD", "FINE_TUNING", "EVALUATING");

    @Test
    void aRunCutByAKilledTrainerIsMarkedFailedTheChampionKeepsServingAndTheNextTriggerWorks(ArgusStack stack)
            throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        Map<String, String> truth = TrainerApi.sendThroughIngest(stack, images, 600, 800, "kill-cam");
        List<Classification> byConfidence = TrainerApi.leastConfidentFirst(stack, truth);
        int served = stack.servedVersion();
        Set<String> known = ids(runs(stack));

        label(stack, truth, byConfidence.subList(0, 50));
        JsonNode cut = awaitNewRun(stack, known, run -> TRAINING.contains(run.get("phase").asText()));
        stack.trainer().kill();
        String phaseWhenKilled = cut.get("phase").asText();

        stack.startTrainer();
        stack.awaitTrainer();
        JsonNode after = run(stack, cut.get("id").asText());
        System.out.printf("TRAINER KILLED in run %s (%s); after restart: %s, \"%s\"; inference served v%d before and "
                + "v%d after%n", cut.get("id").asText(), phaseWhenKilled, after.get("phase").asText(),
                after.get("error").asText(), served, stack.servedVersion());
        assertThat(after.get("phase").asText()).isEqualTo("FAILED");
        assertThat(after.get("error").asText()).contains("trainer stopped during this run");
        assertThat(stack.servedVersion()).as("the champion keeps serving").isEqualTo(served);

        // Inference never depended on the trainer: images keep being classified.
        HttpResponse<String> more = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", images.png(900), "kill-cam");
        String id = Json.mapper().readTree(more.body()).get("imageId").asText();
        assertThat(Ledger.read(stack.bootstrap(), Set.of(id), Duration.ofSeconds(60)).missing(Set.of(id))).isZero();

        // The next labels start a run by themselves, and it finishes.
        known.add(cut.get("id").asText());
        label(stack, truth, byConfidence.subList(50, 100));
        JsonNode next = awaitNewRun(stack, known, run -> run.get("phase").asText().equals("DONE")
                || run.get("phase").asText().equals("FAILED"));
        assertThat(next.get("trigger").asText()).contains("new labels");
        assertThat(next.get("phase").asText()).as(next.toString()).isEqualTo("DONE");
    }

    private static void label(ArgusStack stack, Map<String, String> truth, List<Classification> which) throws Exception {
        HttpResponse<String> labeled = TrainerApi.label(stack, truth, which, "kill-test");
        assertThat(labeled.statusCode()).as(labeled.body()).isEqualTo(201);
    }

    private static JsonNode awaitNewRun(ArgusStack stack, Set<String> known, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode run : runs(stack)) {
                if (!known.contains(run.get("id").asText()) && until.test(run)) {
                    return run;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new run reached the expected phase; runs: " + runs(stack));
    }

    private static Set<String> ids(List<JsonNode> runs) {
        Set<String> ids = new java.util.HashSet<>();
        runs.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static JsonNode run(ArgusStack stack, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/training-runs/"
                + id)).header("X-Api-Key", ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static List<JsonNode> runs(ArgusStack stack) throws Exception {
        return TrainerApi.runs(stack);
    }
}
