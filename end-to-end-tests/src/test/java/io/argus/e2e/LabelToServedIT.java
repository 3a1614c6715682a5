package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.Classification;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;

@ExtendWith(StackExtension.class)
class LabelToServedIT {

    /**
     * People label the 50 images the model was least sure about, through REST, by image id. The
     * trainer starts a run by itself (50 new labels is its default trigger), evaluates the
     * candidate against the champion on held-out labels and announces the decision; a promoted
     * version is then served by inference.
     */
    @Test
    void fiftyLabelsStartARunByItselfWhoseDecisionIsAnnouncedAndAPromotedVersionIsServed(ArgusStack stack)
            throws Exception {
        LabeledImages images = FashionMnist.loadSubset().test();
        Map<String, String> truth = TrainerApi.sendThroughIngest(stack, images, 300, 500, "field-cam");
        List<Classification> unsure = TrainerApi.leastConfidentFirst(stack, truth).subList(0, 50);
        int runsBefore = runs(stack).size();

        HttpResponse<String> labeled = TrainerApi.label(stack, truth, unsure, "field-team");
        assertThat(labeled.statusCode()).as(labeled.body()).isEqualTo(201);

        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            List<JsonNode> all = runs(stack);
            if (all.size() > runsBefore) {
                run = all.get(0);
                if (run.get("phase").asText().equals("DONE") || run.get("phase").asText().equals("FAILED")) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        assertThat(run).as("a run started by itself").isNotNull();
        assertThat(run.get("trigger").asText()).contains("50 new labels");
        assertThat(run.get("phase").asText()).as(run.toString()).isEqualTo("DONE");
        JsonNode decision = run.get("result").get("decision");
        int version = run.get("result").get("version").asInt();
        System.out.printf("LABELS->RUN 50 least-confident images labeled; run %s by itself: %s, candidate v%d %s (%s)%n",
                run.get("id").asText(), run.get("trigger").asText(), version, decision.get("status").asText(),
                decision.get("reason").asText());
        if (decision.get("status").asText().equals("PROMOTED")) {
            long served = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stack.servedVersion() != version && System.nanoTime() < served) {
                Thread.sleep(500);
            }
            assertThat(stack.servedVersion()).isEqualTo(version);
        } else {
            assertThat(decision.get("status").asText()).isEqualTo("REJECTED");
            assertThat(decision.get("reason").asText()).contains("held-out");
        }
    }

    private static List<JsonNode> runs(ArgusStack stack) throws Exception {
        return TrainerApi.runs(stack);
    }
}
