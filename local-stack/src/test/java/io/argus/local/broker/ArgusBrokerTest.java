package io.argus.local.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;
import io.argus.common.topics.Topics;

class ArgusBrokerTest {

    @TempDir
    Path dir;

    @Test
    void createsTheArgusTopicsWithTheirSettingsAndAcceptsImageSizedRecords() throws Exception {
        try (ArgusBroker broker = ArgusBroker.startTemporary()) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(broker.createTopics(TopicNames.DEFAULTS, 2)).as("one per TopicSpec")
                    .hasSameSizeAs(TopicSpec.argusTopics(TopicNames.DEFAULTS, 2));
            assertThat(broker.createTopics(TopicNames.DEFAULTS, 2)).as("second time: nothing new").isEmpty();

            try (Admin admin = KafkaClients.bootstrap(broker.bootstrapServers()).admin("broker-test")) {
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(topics).contains(Topics.RAW, Topics.CLASSIFIED, Topics.REVIEW, Topics.DLQ, Topics.LABELS,
                        Topics.MODELS, Topics.DRIFT, Topics.SHADOW);
                ConfigResource labels = new ConfigResource(ConfigResource.Type.TOPIC, Topics.LABELS);
                Config config = admin.describeConfigs(List.of(labels)).all().get(10, TimeUnit.SECONDS).get(labels);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            }

            byte[] tenMegabytes = new byte[10 * 1024 * 1024];
            tenMegabytes[123] = 42;
            send(broker, Topics.RAW, "cam-1", tenMegabytes);
            ConsumerRecord<String, byte[]> back = readOne(broker, Topics.RAW);
            assertThat(back.value()).hasSize(tenMegabytes.length);
            assertThat(back.value()[123]).isEqualTo((byte) 42);
        }
    }

    @Test
    void aPersistentBrokerKeepsItsRecordsAcrossARestart() throws Exception {
        ArgusBroker broker = ArgusBroker.startPersistent(dir.resolve("kafka"), 0, 0);
        try {
            broker.createTopics(TopicNames.DEFAULTS, 1);
            send(broker, Topics.RAW, "cam-1", new byte[] {7});
            broker.stop();
            assertThat(broker.isRunning()).isFalse();

            broker.start();
            assertThat(readOne(broker, Topics.RAW).value()).containsExactly(7);
        } finally {
            broker.close();
        }
    }

    private static void send(ArgusBroker broker, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.bootstrap(broker.bootstrapServers())
                .reliableProducer("broker-test", KafkaClients.Payload.IMAGES)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static ConsumerRecord<String, byte[]> readOne(ArgusBroker broker, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.bootstrap(broker.bootstrapServers())
                .reader("broker-test")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
            throw new AssertionError("no record on " + topic);
        }
    }
}
