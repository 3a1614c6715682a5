package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;

/**
 * The packaged services as deployed (prod profile: access control on): each writing endpoint
 * answers 401 without a key or with an unknown one, 403 for a key without the role, and works with
 * the right one; so does each read of the trainer's (images, the review queue, labels and who gave
 * them, runs, models, bundles); health, metrics, the OpenAPI document and the desk's page stay
 * open; a label records the key that gave it; inference downloads its bundle with its model-reader
 * key, whose secret is on no command line.
 */
@ExtendWith(StackExtension.class)
class AccessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyWritingEndpointWantsAKeyWithTheRightRole(ArgusStack stack) throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(42);
        String images = stack.ingestUrl() + "/api/images";
        String classify = stack.inferenceUrl() + "/api/classify";
        String runs = stack.trainerUrl() + "/api/training-runs";

        JsonNode noKey = assertStatus(post(images, "image/png", png, null), 401);
        assertThat(noKey.get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(noKey.get("message").asText()).contains("API key");
        assertThat(assertStatus(post(images, "image/png", png, "not-a-key-of-this-stack"), 401).get("code").asText())
                .isEqualTo("UNAUTHORIZED");
        assertThat(assertStatus(post(images, "image/png", png, ArgusStack.LABELER_KEY), 403).get("code").asText())
                .isEqualTo("FORBIDDEN");
        String imageId = assertStatus(post(images, "image/png", png, ArgusStack.SENSOR_KEY), 202).get("imageId").asText();

        assertStatus(post(classify, "image/png", png, ArgusStack.LABELER_KEY), 403);
        assertStatus(post(classify, "image/png", png, ArgusStack.SENSOR_KEY), 200);

        assertStatus(post(runs, "application/json", "{}".getBytes(), ArgusStack.LABELER_KEY), 403);
        // Inference's key may download bundles and nothing else.
        assertStatus(post(images, "image/png", png, ArgusStack.MODEL_READER_KEY), 403);
        assertStatus(post(runs, "application/json", "{}".getBytes(), ArgusStack.MODEL_READER_KEY), 403);
        assertStatus(post(stack.trainerUrl() + "/api/models/1/promote", "application/json", new byte[0],
                ArgusStack.SENSOR_KEY), 403);

        // Labels need the labeler role, and record the key that gave them (plus the person it names).
        Ledger.read(stack.bootstrap(), Set.of(imageId), Duration.ofSeconds(60));
        byte[] label = ("{\"imageId\":\"" + imageId + "\",\"label\":\"Bag\"}").getBytes();
        assertStatus(post(stack.trainerUrl() + "/api/labels", "application/json", label, ArgusStack.SENSOR_KEY), 403);
        HttpResponse<String> labeled = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ArgusStack.LABELER_KEY)
                .header("X-Labeler", "ana").POST(HttpRequest.BodyPublishers.ofByteArray(label)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(labeled.statusCode()).as(labeled.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(labeled.body()).get("labeler").asText()).isEqualTo("e2e-labelers/ana");

        // Probes, Prometheus, the API's description and the desk's page need no key.
        for (String open : new String[] {stack.ingestUrl() + "/q/health/ready", stack.inferenceUrl() + "/q/metrics",
                stack.trainerUrl() + "/q/metrics", stack.trainerUrl() + "/q/openapi", stack.trainerUrl() + "/"}) {
            assertThat(get(open, null).statusCode()).as(open).isEqualTo(200);
        }
    }

    @Test
    void everyReadOfTheTrainerWantsAKeyWhoseRoleMaySeeIt(ArgusStack stack) throws Exception {
        String imageId = assertStatus(post(stack.ingestUrl() + "/api/images", "image/png",
                FashionMnist.loadSubset().test().png(43), ArgusStack.SENSOR_KEY), 202).get("imageId").asText();
        Ledger.read(stack.bootstrap(), Set.of(imageId), Duration.ofSeconds(60));
        byte[] label = ("{\"imageId\":\"" + imageId + "\",\"label\":\"Coat\"}").getBytes();
        assertStatus(post(stack.trainerUrl() + "/api/labels", "application/json", label, ArgusStack.LABELER_KEY), 201);
        String queued = queuedImage(stack);
        String people = "labeler,admin";
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("/api/review/queue", people);
        reads.put("/api/review/items/" + queued + "/image", people);
        reads.put("/api/labels/stats", people);
        reads.put("/api/labels/" + imageId, people);
        reads.put("/api/training-runs", people);
        reads.put("/api/models", people);
        reads.put("/api/models/1", people);
        reads.put("/api/models/1/bundle", "model-reader,admin");

        for (Map.Entry<String, String> read : reads.entrySet()) {
            String url = stack.trainerUrl() + read.getKey();
            HttpResponse<String> none = get(url, null);
            assertThat(assertStatus(none, 401).get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(url).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer"));
            assertStatus(get(url, "not-a-key-of-this-stack"), 401);
            for (Map.Entry<String, String> key : KEYS.entrySet()) {
                boolean may = List.of(read.getValue().split(",")).contains(key.getKey());
                assertStatus(get(url, key.getValue()), may ? 200 : 403);
            }
        }
        assertThat(Json.mapper().readTree(get(stack.trainerUrl() + "/api/labels/" + imageId, ArgusStack.LABELER_KEY)
                .body()).get("labeler").asText()).isEqualTo("e2e-labelers");
    }

    @Test
    void inferenceDownloadsItsBundleWithItsModelReaderKeyWhichNoCommandLineShows(ArgusStack stack) throws Exception {
        // The stack's inference has no shared model directory: what it serves, it downloaded from the trainer.
        assertThat(stack.servedVersion()).isGreaterThanOrEqualTo(1);
        String log = Files.readString(stack.work.resolve("inference.log"));
        assertThat(log).contains("Bundle downloads send the key '" + ArgusStack.MODEL_READER + "'")
                .contains("Now serving argus v" + stack.servedVersion()).doesNotContain("answered HTTP 401");
        assertThat(ProcessHandle.of(stack.inference().pid()).orElseThrow().info().commandLine().orElse(""))
                .as("inference's command line").contains(ArgusStack.MODEL_READER)
                .doesNotContain(ArgusStack.MODEL_READER_KEY);
        assertThat(log).doesNotContain(ArgusStack.MODEL_READER_KEY);
    }

    /** One key per role of the stack. */
    private static final Map<String, String> KEYS = Map.of("sensor", ArgusStack.SENSOR_KEY,
            "labeler", ArgusStack.LABELER_KEY, "admin", ArgusStack.ADMIN_KEY, "model-reader", ArgusStack.MODEL_READER_KEY);

    /** An image inference sent to review (the pretrained model is unsure about many). */
    private static String queuedImage(ArgusStack stack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int next = 100;
        while (System.nanoTime() < deadline) {
            JsonNode items = Json.mapper().readTree(get(stack.trainerUrl() + "/api/review/queue?limit=1",
                    ArgusStack.LABELER_KEY).body()).get("items");
            if (items.size() > 0) {
                return items.get(0).get("imageId").asText();
            }
            TrainerApi.sendThroughIngest(stack, FashionMnist.loadSubset().test(), next, next + 20, "cam-access");
            next += 20;
            Thread.sleep(1000);
        }
        throw new AssertionError("no image reached the review queue in 90 s");
    }

    private static HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String type, byte[] body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode assertStatus(HttpResponse<String> r, int status) throws Exception {
        String body = r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body();
        assertThat(r.statusCode()).as(r.uri() + " " + body).isEqualTo(status);
        boolean json = r.headers().firstValue("Content-Type").orElse("").contains("json");
        return json && !r.body().isBlank() ? Json.mapper().readTree(r.body()) : Json.mapper().createObjectNode();
    }
}
