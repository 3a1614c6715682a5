package io.argus.common.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one model's events from {@code argus.models}: the whole (compacted) topic from its start,
 * then whatever comes next, without a consumer group. Tells its listener each event and, once,
 * when it has read everything that was there when it started. Reconnects after Kafka errors.
 * Run it on a thread of its own; {@link #stop()} ends it.
 */
public final class ModelEventFeed implements Runnable {

    /** What a feed reports. Called on the feed's thread. */
    public interface Listener {
        void event(ModelEvent event);

        /** Everything that was on the topic at start has been passed to {@link #event}. */
        default void caughtUp() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelEventFeed.class);

    private final Map<String, Object> kafka;
    private final String topic;
    private final String modelName;
    private final String clientId;
    private final Listener listener;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private boolean caughtUp;

    public ModelEventFeed(Map<String, Object> kafka, String topic, String modelName, String clientId,
                          Listener listener) {
        this.kafka = kafka;
        this.topic = topic;
        this.modelName = modelName;
        this.clientId = clientId;
        this.listener = listener;
    }

    /** Starts the feed on a daemon thread named after its client id. */
    public ModelEventFeed start() {
        Thread t = new Thread(this, clientId);
        t.setDaemon(true);
        t.start();
        return this;
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
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
                LOG.warn("Reading {} failed ({}); retrying in 2 s", topic, e.toString());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (modelName.equals(r.key()) && r.value() != null) {
                    try {
                        listener.event(Json.read(r.value(), ModelEvent.class));
                    } catch (ContractViolation e) {
                        LOG.warn("Skipping unreadable model event at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                    }
                }
            }
            if (!caughtUp && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                caughtUp = true;
                listener.caughtUp();
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
