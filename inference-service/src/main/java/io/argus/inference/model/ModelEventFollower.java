package io.argus.inference.model;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.argus.common.contract.ContractViolation;
import io.argus.common.contract.Json;
import io.argus.common.contract.ModelEvent;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Follows {@code argus.models} and keeps {@link CurrentModel} on the version the newest serving
 * event (PROMOTED or ROLLED_BACK) names. At start it reads the whole compacted topic first and
 * loads only the last such event, so a restarted service comes back on the current champion.
 * A bundle that cannot be fetched, verified or loaded is refused with a log line and the model
 * in service keeps serving.
 */
@ApplicationScoped
public class ModelEventFollower {

    private static final Logger LOG = Logger.getLogger(ModelEventFollower.class);

    private final Map<String, Object> kafka;
    private final String topic;
    private final String modelName;
    private final ModelLoader loader;
    private final CurrentModel current;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private ModelEvent failed;

    public ModelEventFollower(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicsConfig topics,
                              InferenceConfig config, ModelLoader loader, CurrentModel current) {
        this.kafka = kafka;
        this.topic = topics.models();
        this.modelName = config.model().name();
        this.loader = loader;
        this.current = current;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "argus-model-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
        current.clear();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Following %s failed (%s); retrying in 2 s", topic, e.toString());
                sleep(2000);
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        boolean caughtUp = false;
        ModelEvent wanted = null;
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                ModelEvent e = read(r);
                if (e != null && e.status() != null && e.status().serves()) {
                    wanted = e;
                }
            }
            if (!caughtUp) {
                caughtUp = partitions.stream().allMatch(p -> c.position(p) >= end.get(p));
                if (caughtUp && wanted == null) {
                    LOG.infof("No %s model has been promoted yet on %s; waiting for one", modelName, topic);
                }
            }
            if (caughtUp && wanted != null) {
                serve(wanted);
                wanted = null;
            }
        }
    }

    private ModelEvent read(ConsumerRecord<String, byte[]> r) {
        if (!modelName.equals(r.key()) || r.value() == null) {
            return null;
        }
        try {
            return Json.read(r.value(), ModelEvent.class);
        } catch (ContractViolation e) {
            LOG.warnf("Skipping unreadable model event at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
    }

    private void serve(ModelEvent e) {
        boolean alreadyServing = current.id().map(id -> id.version() == e.version()).orElse(false);
        if (alreadyServing || e.equals(failed)) {
            return;
        }
        LOG.infof("Model event: %s v%d is %s; loading it", e.modelName(), e.version(), e.status());
        try {
            current.swap(loader.load(e));
            LOG.infof("Now serving %s v%d", e.modelName(), e.version());
        } catch (Exception ex) {
            failed = e;
            LOG.errorf("Refusing %s v%d: %s. Still serving %s", e.modelName(), e.version(), ex.getMessage(),
                    current.id().map(Object::toString).orElse("nothing"));
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "argus-inference-model-events");
        return props;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
