package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.testing.TestSettings;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;
import io.argus.local.testing.BrokerOutage;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A batch of labels is all or nothing, also when Kafka fails in the middle of it: the broker is
 * stopped once the batch's first label is on it (the fault {@code
 * argus.trainer.fault.label-batch-pause-after-first} holds the rest back meanwhile). The answer is
 * 503 and no label of that batch is ever in the training set (argus.labels, read_committed).
 */
@QuarkusTest
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "argus.trainer.fault.label-batch-pause-after-first", value = "3s"))
@QuarkusTestResource(value = TrainerTestResource.class, restrictToAnnotatedClass = true)
class LabelBatchAtomicityTest {

    @Test
    void aBatchOfLabelsCutByABrokerFailureIsAnswered503AndNoneOfItsLabelsIsEverStored() throws Exception {
        ArgusBroker broker = KafkaBrokerResource.broker();
        TrainerKafka.classified("cut-1", FashionMnist.loadSubset().test().png(11));
        TrainerKafka.classified("cut-2", FashionMnist.loadSubset().test().png(12));
        TrainerKafka.classified("cut-3", FashionMnist.loadSubset().test().png(13));

        BrokerOutage.assertKafkaUnavailable(
                BrokerOutage.cutOnceOnTheLog(Topics.LABELS, "cut-1", () -> batch("cut-1", "cut-2", "cut-3")));

        // The trainer recovers by itself; the same batch sent again is stored whole.
        BrokerOutage.awaitTakenAgain(() -> batch("cut-1", "cut-2", "cut-3").statusCode(), 201);
        try (TopicReader labels = TopicReader.fromStart(broker.bootstrapServers(), Topics.LABELS)) {
            List<String> keys = labels.readUntilQuiet(Duration.ofSeconds(3)).stream().map(ConsumerRecord::key)
                    .filter(k -> k.startsWith("cut-")).toList();
            assertThat(keys).as("labels of the batch as the training set holds them: once each, from the batch "
                    + "sent again").containsExactlyInAnyOrder("cut-1", "cut-2", "cut-3");
        }
    }

    private static Response batch(String... imageIds) {
        StringBuilder body = new StringBuilder("{\"labels\":[");
        for (int i = 0; i < imageIds.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"imageId\":\"").append(imageIds[i]).append("\",\"label\":\"Bag\"}");
        }
        return given().contentType("application/json").header("X-Labeler", "ana").body(body.append("]}").toString())
                .post("/api/labels/batch");
    }
}
