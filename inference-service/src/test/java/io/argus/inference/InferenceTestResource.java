package io.argus.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.common.json.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;

/**
 * A real broker plus a promoted model: the brightness model is saved in a model store shared with
 * the service and announced on argus.models, as the trainer would.
 */
public class InferenceTestResource extends KafkaBrokerResource {

    private static Path store;

    public static Path store() {
        return store;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            store = Files.createTempDirectory("argus-inference-models-");
            promote(BrightnessModel.bundle("argus", 1, 5.0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("argus.inference.model.directory", store.toString());
        return config;
    }

    /** Saves a bundle in the shared store and announces it as PROMOTED. */
    public static StoredModel promote(ModelBundle bundle) throws IOException {
        StoredModel stored = new ModelStore(store).save(bundle);
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
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.MODELS, key, Json.write(event)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A producer to the test broker. */
    public static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", KafkaBrokerResource.broker().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A reader of {@code topic} on the test broker, from now on. */
    public static TopicReader reader(String topic) {
        return TopicReader.fromNow(KafkaBrokerResource.broker().bootstrapServers(), topic);
    }
}
