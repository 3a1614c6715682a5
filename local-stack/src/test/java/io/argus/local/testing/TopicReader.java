package io.argus.local.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic the way a test wants to: all partitions, no consumer group, from the start or from
 * "now", committed records only (as Argus' own consumers read).
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;

    private TopicReader(String bootstrapServers, String topic, boolean fromStart, boolean committedOnly) {
        this.topic = topic;
        // Not KafkaClients' reader, which reads committed records only: awaitOnTheLog needs what is not yet.
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromStart) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }
    }

    /** Everything on the topic, from its first record. */
    public static TopicReader fromStart(String bootstrapServers, String topic) {
        return new TopicReader(bootstrapServers, topic, true, true);
    }

    /** Only what is written from now on. */
    public static TopicReader fromNow(String bootstrapServers, String topic) {
        return new TopicReader(bootstrapServers, topic, false, true);
    }

    /**
     * Waits until a record with this key is on the topic's log, committed or not: to act while a
     * transaction is open (stop the broker half way through a batch).
     */
    public static void awaitOnTheLog(String bootstrapServers, String topic, String key, Duration timeout) {
        try (TopicReader log = new TopicReader(bootstrapServers, topic, true, false)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : log.consumer.poll(Duration.ofMillis(100))) {
                    if (key.equals(r.key())) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no record keyed " + key + " reached " + topic + " within " + timeout);
    }

    /** Reads until {@code count} records arrived or {@code timeout} passed; returns what came. */
    public List<ConsumerRecord<String, byte[]>> read(int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /** Reads until nothing new arrived for {@code quiet}. */
    public List<ConsumerRecord<String, byte[]>> readUntilQuiet(Duration quiet) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long quietUntil = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietUntil) {
            int before = records.size();
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            if (records.size() > before) {
                quietUntil = System.nanoTime() + quiet.toNanos();
            }
        }
        return records;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
