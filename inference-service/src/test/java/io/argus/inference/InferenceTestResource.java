package io.argus.inference;

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
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerAndStoreResource;
import io.argus.local.testing.TopicReader;

/**
 * A real broker plus a promoted model: the brightness model is saved in a model store shared with
 * the service and announced on argus.models, as the trainer would.
 */
public class InferenceTestResource extends KafkaBrokerAndStoreResource {

    @Override
    protected void fill(Path store) throws IOException {
        promote(BrightnessModel.bundle("argus", 1, 5.0));
    }

    @Override
    protected Map<String, String> settings(Path store) {
        return Map.of("argus.inference.model.directory", store.toString());
    }

    /** Saves a bundle in the shared store and announces it as PROMOTED. */
    public static StoredModel promote(ModelBundle bundle) throws IOException {
        StoredModel stored = new ModelStore(store()).save(bundle);
        announce(stored, ModelStatus.PROMOTED);
        return stored;
    }

    public static void announce(StoredModel stored, ModelStatus status) {
        announce(ModelEvent.about(stored, status, "test").build());
    }

    /** Publishes a model event on argus.models under the model name (the champion record), as the trainer would. */
    public static void announce(ModelEvent event) {
        publish(event.modelName(), event);
    }

    /**
     * Publishes a model event under its version key only, as the trainer announces a version that
     * does not serve (SHADOW, REJECTED).
     */
    public static void announceVersion(StoredModel stored, ModelStatus status) {
        announceVersion(ModelEvent.about(stored, status, "test").build());
    }

    public static void announceVersion(ModelEvent event) {
        publish(ModelEvent.versionKey(event.modelName(), event.version()), event);
    }

    private static void publish(String key, ModelEvent event) {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.bootstrap(broker().bootstrapServers())
                .reliableProducer("test-trainer", KafkaClients.Payload.JSON)) {
            producer.send(new ProducerRecord<>(Topics.MODELS, key, Json.write(event)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A camera's producer to the test broker. */
    public static KafkaProducer<String, byte[]> producer() {
        return kafka().reliableProducer("test-camera", KafkaClients.Payload.IMAGES);
    }

    /** A reader of {@code topic} on the test broker, from now on. */
    public static TopicReader reader(String topic) {
        return TopicReader.fromNow(broker().bootstrapServers(), topic);
    }
}
