package io.argus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.error.ContractViolation;
import io.argus.common.json.Json;
import io.argus.common.image.InputSpec;

class JsonContractsTest {

    @Test
    void aClassificationIsPlainJsonWithIsoTimesAndNoReviewReasonOnTheClassifiedTopic() throws Exception {
        Instant t = Instant.parse("2026-11-22T10:15:30.123Z");
        Classification c = new Classification(1, "img-1", "cam-7", t, "Bag", 0.91,
                List.of(new Classification.LabelScore("Bag", 0.91), new Classification.LabelScore("Sandal", 0.05)),
                "argus", 3, new Classification.Source("argus.images.raw", 2, 77),
                new Classification.Timings(t, t.plusMillis(40), 1.5, 12.0, 16), null, null);

        JsonNode json = Json.mapper().readTree(Json.write(c));

        assertThat(json.get("capturedAt").asText()).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(json.get("topK").get(1).get("label").asText()).isEqualTo("Sandal");
        assertThat(json.get("source").get("offset").asLong()).isEqualTo(77);
        assertThat(json.has("reviewReason")).isFalse();
        assertThat(Json.read(Json.write(c), Classification.class)).isEqualTo(c);
        assertThat(Json.read(Json.write(c.forReview("confidence 0.41 < 0.6")), Classification.class).reviewReason())
                .isEqualTo("confidence 0.41 < 0.6");
    }

    @Test
    void aFollowerReadsClassificationsFromRecordsAndSkipsTombstonesAndStrangers() {
        Classification c = new Classification(1, "img-2", "cam-7", null, "Bag", 0.4, List.of(), "argus", 3, null, null,
                "confidence 0.400 is under the review threshold 0.600", null);
        assertThat(Classification.fromRecord(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0, "img-2",
                Json.write(c)))).contains(c);
        assertThat(Classification.fromRecord(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 1, "img-2",
                (byte[]) null))).isEmpty();
        assertThat(Classification.fromRecord(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 2, "img-3",
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void theOutOfDistributionScoreIsAnOptionalObjectWithTheModelsThreshold() throws Exception {
        Classification without = Classification.builder().image("img-3", "cam-7", null)
                .topK(List.of(new Classification.LabelScore("Bag", 0.99))).model("argus", 3).build();
        Classification with = Classification.builder().image("img-3", "cam-7", null)
                .topK(List.of(new Classification.LabelScore("Bag", 0.99))).model("argus", 3)
                .ood(new Classification.Ood(41.5, 12.25)).build();

        assertThat(Json.write(without)).asString(java.nio.charset.StandardCharsets.UTF_8).doesNotContain("ood");
        assertThat(Json.mapper().readTree(Json.write(with)).get("ood").toString())
                .isEqualTo("{\"score\":41.5,\"threshold\":12.25}");
        assertThat(Json.read(Json.write(with.forReview("unlike the training data")), Classification.class).ood())
                .isEqualTo(with.ood());
        assertThat(with.ood().over()).isTrue();
    }

    @Test
    void aModelEventRoundTrips() {
        ModelEvent e = new ModelEvent(1, "argus", 2, ModelStatus.PROMOTED, List.of("a", "b"), InputSpec.grey(28, 28), null,
                "abc", 10, "http://127.0.0.1:8083/api/models/2/bundle", "argus-v2.bundle", "bootstrap",
                Instant.parse("2026-11-22T10:00:00Z"), null, 1);

        assertThat(Json.read(Json.write(e), ModelEvent.class)).isEqualTo(e);
    }

    @Test
    void anEventWrittenBeforeRestoredHadItsNameReadsAsRestoredAndServes() {
        // What a trainer wrote for "made champion again" before the statuses were renamed.
        String old = "{\"schemaVersion\":1,\"modelName\":\"argus\",\"version\":1,\"status\":\"ROLLED_BACK\"}";

        ModelEvent e = Json.read(old.getBytes(StandardCharsets.UTF_8), ModelEvent.class);

        assertThat(e.status()).isEqualTo(ModelStatus.RESTORED);
        assertThat(e.status().serves()).isTrue();
        assertThat(ModelStatus.WITHDRAWN.serves()).isFalse();
        assertThat(e.previousChampion()).isNull();
    }

    @Test
    void malformedJsonIsAContractViolation() {
        assertThatThrownBy(() -> Json.read("{not json".getBytes(StandardCharsets.UTF_8), ModelEvent.class))
                .isInstanceOf(ContractViolation.class)
                .extracting(e -> ((ContractViolation) e).code()).isEqualTo("MALFORMED_JSON");
    }
}
