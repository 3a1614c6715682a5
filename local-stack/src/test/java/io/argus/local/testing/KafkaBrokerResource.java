package io.argus.local.testing;

import java.util.Map;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.local.broker.ArgusBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real in-process Kafka broker with the Argus topics for a Quarkus test and points the
 * service at it ({@code kafka.bootstrap.servers}). Tests reach the same broker through
 * {@link #broker()} to produce and consume directly.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** Partitions of the image topics in tests: more than one, so ordering per key is really exercised. */
    public static final int PARTITIONS = 3;

    private static volatile ArgusBroker broker;

    public static ArgusBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the Kafka test broker is not running");
        }
        return broker;
    }

    /** Kafka clients on the test broker, made as the services make theirs. */
    public static KafkaClients kafka() {
        return KafkaClients.bootstrap(broker().bootstrapServers());
    }

    @Override
    public Map<String, String> start() {
        broker = ArgusBroker.startTemporary();
        broker.createTopics(TopicNames.DEFAULTS, PARTITIONS);
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
