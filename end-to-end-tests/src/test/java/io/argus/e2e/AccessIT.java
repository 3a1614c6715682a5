package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;

/**
 * The packaged services as deployed (prod profile: access control on): each writing endpoint
 * answers 401 without a key or with an unknown one, 403 for a key without the role, and works with
 * the right one; reads, health and metrics stay open; a label records the key that gave it.
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

        // Reading needs no key; probes and Prometheus need none either.
        for (String open : new String[] {stack.trainerUrl() + "/api/models", runs, stack.ingestUrl() + "/q/health/ready",
                stack.inferenceUrl() + "/q/metrics", stack.trainerUrl() + "/api/labels/stats"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(open)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(open).isEqualTo(200);
        }
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
        assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
        return r.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
    }
}
