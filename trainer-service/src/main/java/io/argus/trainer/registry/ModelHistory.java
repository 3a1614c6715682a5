package io.argus.trainer.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import io.argus.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * What {@code argus.models} says about this trainer's model: the latest status of every version
 * and which version is champion. Rebuilt from the topic at start, then kept up to date by
 * following it, so the trainer's view survives restarts and includes decisions of others.
 */
@ApplicationScoped
public class ModelHistory {

    private static final Logger LOG = Logger.getLogger(ModelHistory.class);

    private final Map<String, Object> kafka;
    private final String topic;
    private final String modelName;
    private final CommandLine commandLine;
    private final Map<Integer, ModelEvent> latest = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile ModelEvent champion;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public ModelHistory(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicsConfig topics,
                        TrainerConfig config, CommandLine commandLine) {
        this.kafka = kafka;
        this.topic = topics.models();
        this.modelName = config.modelName();
        this.commandLine = commandLine;
    }

    void start(@Observes StartupEvent event) {
        if (!commandLine.serving()) {
            return;
        }
        Thread t = new Thread(this::run, "argus-model-history");
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Waits until the history holds everything the topic had at start. */
    public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    public Optional<ModelEvent> latest(int version) {
        return Optional.ofNullable(latest.get(version));
    }

    public Optional<ModelEvent> champion() {
        return Optional.ofNullable(champion);
    }

    /** Records an event this trainer just published, without waiting to read it back. */
    void record(ModelEvent e) {
        latest.put(e.version(), e);
        if (e.status().serves()) {
            champion = e;
        }
    }

    private void run() {
        while (running) {
            Map<String, Object> props = new HashMap<>(kafka);
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "argus-trainer-model-history");
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (modelName.equals(r.key()) && r.value() != null) {
                            try {
                                record(Json.read(r.value(), ModelEvent.class));
                            } catch (ContractViolation e) {
                                LOG.warnf("Skipping unreadable model event at offset %d: %s", r.offset(), e.getMessage());
                            }
                        }
                    }
                    if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                        caughtUp.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("Reading %s failed (%s); retrying in 2 s", topic, e.toString());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }
}
