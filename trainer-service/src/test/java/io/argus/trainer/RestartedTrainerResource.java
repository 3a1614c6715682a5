package io.argus.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.trainer.runs.EarlierRuns;

/**
 * A trainer restarted while Kafka is away: the store holds v1, {@code argus.models} holds what an
 * earlier trainer decided about it (promoted by hand), and the broker is stopped before the
 * service starts, so the service cannot read that history until the test starts the broker again.
 */
public class RestartedTrainerResource extends TrainerTestResource {

    /** The reason the earlier trainer gave; the first-champion bootstrap would give another. */
    static final String EARLIER_DECISION = "promoted by hand before the restart";
    /** The run the earlier trainer was in the middle of when it stopped. */
    static final String CUT_RUN = "run-cut-by-the-restart";

    @Override
    protected void fill(Path store) throws IOException {
        super.fill(store);
        EarlierRuns.cutMidway(store, CUT_RUN);
        leftByTheEarlierTrainer(store);
        KafkaBrokerResource.broker().stop();
    }

    /** What the earlier trainer wrote to Kafka before the restart: v1 promoted by hand. */
    protected void leftByTheEarlierTrainer(Path store) throws IOException {
        StoredModel v1 = new ModelStore(store).find(new ModelId("argus", 1)).orElseThrow();
        ModelEvent promoted = ModelEvent.about(v1, ModelStatus.PROMOTED, EARLIER_DECISION)
                .bundleUrl("http://127.0.0.1:8999/api/models/1/bundle").build();
        byte[] json = Json.write(promoted);
        try (KafkaProducer<String, byte[]> p = KafkaBrokerResource.kafka()
                .reliableProducer("test-earlier-trainer", KafkaClients.Payload.JSON)) {
            // What the trainer writes for a serving decision: the version's record and the champion record.
            p.send(new ProducerRecord<>(Topics.MODELS, ModelEvent.versionKey("argus", 1), json)).get(30, TimeUnit.SECONDS);
            p.send(new ProducerRecord<>(Topics.MODELS, ModelEvent.championKey("argus"), json)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write the earlier trainer's history: " + e, e);
        }
    }

    @Override
    protected Map<String, String> settings(Path store) {
        // Refused at once instead of after the usual short wait: the test makes many such requests.
        return with(super.settings(store), Map.of("argus.trainer.history-wait", "0s"));
    }
}
