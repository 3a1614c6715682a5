package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.contract.Classification;
import io.argus.common.json.Json;
import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

@ExtendWith(StackExtension.class)
class StreamEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void imagesPostedToIngestComeOutOfKafkaClassifiedByTheServedModel(ArgusStack stack) throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        Map<String, String> truth = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> answer = post(stack.ingestUrl() + "/api/images", test.png(i), "e2e-cam-" + (i % 3));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            truth.put(Json.mapper().readTree(answer.body()).get("imageId").asText(),
                    FashionMnist.LABELS.get(test.labels()[i]));
        }
        byte[] broken = Arrays.copyOf(test.png(0), 60);
        HttpResponse<String> refused = post(stack.ingestUrl() + "/api/images", broken, "e2e-cam-0");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Json.mapper().readTree(refused.body()).get("code").asText()).isEqualTo("CORRUPT_IMAGE");

        Ledger ledger = Ledger.read(stack.bootstrap(), truth.keySet(), Duration.ofSeconds(90));
        int served = stack.servedVersion();

        assertThat(ledger.missing(truth.keySet())).as("images without a result").isZero();
        assertThat(ledger.duplicates()).isZero();
        int correct = 0;
        for (Map.Entry<String, String> e : truth.entrySet()) {
            Classification c = ledger.results.get(e.getKey());
            assertThat(c.modelName()).isEqualTo("argus");
            assertThat(c.modelVersion()).isEqualTo(served);
            assertThat(c.sensorId()).startsWith("e2e-cam-");
            assertThat(c.source().topic()).isEqualTo(Topics.RAW);
            if (c.label().equals(e.getValue())) {
                correct++;
            }
        }
        assertThat(correct).as("correct of 60 (model pretrained for one short epoch)").isGreaterThan(30);
    }

    @Test
    void aRecordACameraProducesStraightToKafkaIsClassifiedToo(ArgusStack stack) throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(1);
        try (KafkaProducer<String, byte[]> camera = stack.camera()) {
            camera.send(new RawImage("camera-direct-1", "camera-7", Instant.now(), "image/png", null, png)
                    .toRecord(Topics.RAW)).get();
        }

        Ledger ledger = Ledger.read(stack.bootstrap(), java.util.Set.of("camera-direct-1"), Duration.ofSeconds(60));

        assertThat(ledger.results.get("camera-direct-1")).isNotNull();
        assertThat(ledger.results.get("camera-direct-1").sensorId()).isEqualTo("camera-7");
    }

    @Test
    void theClassifyEndpointAnswersWithTheSameModel(ArgusStack stack) throws Exception {
        HttpResponse<String> answer = post(stack.inferenceUrl() + "/api/classify",
                FashionMnist.loadSubset().test().png(2), "unused");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(answer.body());
        assertThat(FashionMnist.LABELS).contains(body.get("label").asText());
        assertThat(body.get("modelVersion").asInt()).isEqualTo(stack.servedVersion());
        assertThat(body.get("topK")).hasSize(3);
    }

    static HttpResponse<String> post(String url, byte[] body, String sensor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "image/png")
                .header("X-Sensor-Id", sensor)
                .header("Authorization", "Bearer " + ArgusStack.SENSOR_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
