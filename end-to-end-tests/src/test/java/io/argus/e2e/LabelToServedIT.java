package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.Classification;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;

@ExtendWith(StackExtension.class)
class LabelToServedIT {

    /**
     * The demo's learning round on the packaged services: a camera with inverted contrast comes
     * online; people label 50 of its images (the 25 the model was least sure about and 25 at random)
     * through REST, by image id. The trainer starts a run by itself; when its gate asks for more
     * labels of the camera, 50 more are given, as people would. The gate promotes the candidate
     * (the test fails on a rejection), inference serves it, the new camera is classified far better,
     * and the ordinary cameras, on the very images they sent before, keep their accuracy.
     */
    @Test
    void aNewCamerasFiftyLabelsArePromotedServedAndTheOrdinaryCamerasLoseNothing(ArgusStack stack)
            throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        Map<String, String> ordinary = TrainerApi.sendThroughIngest(stack, images, 0, 500, "served-cam");
        double ordinaryBefore = TrainerApi.accuracy(stack, ordinary);
        Map<String, String> newCamera = TrainerApi.sendThroughIngest(stack, images, 500, 800, "served-new-cam", true);
        double newBefore = TrainerApi.accuracy(stack, newCamera);
        int versionBefore = stack.servedVersion();

        List<Classification> byConfidence = TrainerApi.leastConfidentFirst(stack, newCamera);
        List<Classification> pick = new ArrayList<>(byConfidence.subList(0, 25));
        List<Classification> rest = new ArrayList<>(byConfidence.subList(25, byConfidence.size()));
        Collections.shuffle(rest, new Random(42));
        pick.addAll(rest.subList(0, 25));
        int runsBefore = TrainerApi.runs(stack).size();
        HttpResponse<String> labeled = TrainerApi.label(stack, newCamera, pick, "field-team");
        assertThat(labeled.statusCode()).as(labeled.body()).isEqualTo(201);

        JsonNode run = awaitRun(stack, runsBefore);
        JsonNode decision = run.get("result").get("decision");
        System.out.printf("LABELS->RUN run %s (%s): %s: %s%n", run.get("id").asText(), run.get("trigger").asText(),
                decision.get("status").asText(), decision.get("reason").asText());
        assertThat(run.get("trigger").asText()).contains("50 new labels");
        if (!decision.get("status").asText().equals("PROMOTED") && decision.get("reason").asText().contains("more labels")) {
            // As people at the desk would: the gate asked for more labels of the camera; give 50 more.
            HttpResponse<String> more = TrainerApi.label(stack, newCamera, rest.subList(25, 75), "field-team");
            assertThat(more.statusCode()).as(more.body()).isEqualTo(201);
            run = awaitRun(stack, runsBefore + 1);
            decision = run.get("result").get("decision");
            System.out.printf("LABELS->RUN run %s (%s): %s: %s%n", run.get("id").asText(), run.get("trigger").asText(),
                    decision.get("status").asText(), decision.get("reason").asText());
        }
        int version = run.get("result").get("version").asInt();
        assertThat(decision.get("status").asText()).as(decision.get("reason").asText()).isEqualTo("PROMOTED");
        long served = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (stack.servedVersion() != version && System.nanoTime() < served) {
            Thread.sleep(500);
        }
        assertThat(stack.servedVersion()).isEqualTo(version).isNotEqualTo(versionBefore);

        Map<String, String> newAfter = TrainerApi.sendThroughIngest(stack, images, 800, 1000, "served-new-cam", true);
        Map<String, String> ordinaryAgain = TrainerApi.sendThroughIngest(stack, images, 0, 500, "served-cam");
        double newCameraAfter = TrainerApi.accuracy(stack, newAfter);
        double ordinaryAfter = TrainerApi.accuracy(stack, ordinaryAgain);
        System.out.printf("LABELS->RUN new camera %.1f%% -> %.1f%%; ordinary camera %.1f%% -> %.1f%% (the same 500 images)%n",
                100 * newBefore, 100 * newCameraAfter, 100 * ordinaryBefore, 100 * ordinaryAfter);
        assertThat(newCameraAfter).isGreaterThan(newBefore + 0.3);
        assertThat(ordinaryAfter).as("the ordinary camera on the same images").isBetween(ordinaryBefore - 0.02,
                ordinaryBefore + 0.02);
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
            Thread.sleep(1000);
        }
        assertThat(run).as("a run started by itself").isNotNull();
        assertThat(run.get("phase").asText()).as(run.toString()).isEqualTo("DONE");
        return run;
    }
}
