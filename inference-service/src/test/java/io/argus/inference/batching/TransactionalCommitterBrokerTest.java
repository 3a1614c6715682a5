package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TemporaryBroker;

/**
 * What {@link TransactionalCommitterTest} shows with Kafka's in-memory producer, against a real
 * broker: a producer fenced by a successor with the same transactional id commits nothing (its
 * outputs are on the log, aborted); a commit that times out while the broker is away is committed
 * again, not aborted, and lands once; a read_committed reader sees every output once and only what
 * was committed.
 */
class TransactionalCommitterBrokerTest {

    private static final String GROUP = "committer-broker-test";
    @RegisterExtension
    static final TemporaryBroker KAFKA = new TemporaryBroker(b -> b.createTopics(TopicNames.DEFAULTS, 2));

    @BeforeAll
    static void warmUp() {
        // The first transactional producer creates the transaction log: not within a test's short timeouts.
        try (KafkaProducer<String, byte[]> first = producer("warm-up", Duration.ofSeconds(60))) {
            first.initTransactions();
        }
    }

    /** A switch that runs {@code hook} just before the commit, inside the open transaction. */
    private static CommitFault before(Consumer<List<ProducerRecord<String, byte[]>>> hook) {
        return new CommitFault("dlq", Optional.empty()) {
            @Override
            void check(List<ProducerRecord<String, byte[]>> outputs) {
                hook.accept(outputs);
            }
        };
    }

    @Test
    void aProducerFencedBySuccessorWithTheSameTransactionalIdCommitsNothingAndItsOutputsAreAborted() throws Exception {
        String txId = "fenced-" + System.nanoTime();
        TopicPartition raw = new TopicPartition(Topics.RAW, 0);
        List<ProducerRecord<String, byte[]>> zombieOutputs = outputs("zombie", 5);
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer()) {
            TransactionalCommitter zombie = new TransactionalCommitter(() -> producer(txId, Duration.ofSeconds(30)),
                    before(outputs -> {
                        // The zombie's outputs are on the broker's log, its offsets in its transaction:
                        // then its successor starts with the same id and commits the same input.
                        KafkaProducer<String, byte[]> successor = producer(txId, Duration.ofSeconds(30));
                        successor.initTransactions();
                        successor.beginTransaction();
                        outputs("successor", 5).forEach(successor::send);
                        successor.sendOffsetsToTransaction(Map.of(raw, new OffsetAndMetadata(5)),
                                consumer.groupMetadata());
                        successor.commitTransaction();
                        successor.close();
                    }));
            try {
                assertThatThrownBy(() -> zombie.commit(zombieOutputs, Map.of(raw, new OffsetAndMetadata(5)),
                        consumer.groupMetadata()))
                        .isInstanceOf(BatchCommitter.NotCommitted.class);
            } finally {
                zombie.close();
            }
        }

        List<String> committed = keys(read("read_committed"), "zombie", "successor");
        List<String> onTheLog = keys(read("read_uncommitted"), "zombie", "successor");
        assertThat(committed).as("a read_committed reader sees the successor's outputs once and the zombie's never")
                .containsExactlyInAnyOrder("successor-0", "successor-1", "successor-2", "successor-3", "successor-4");
        assertThat(onTheLog).as("the zombie really wrote inside its transaction: its outputs were aborted, not lost")
                .contains("zombie-0", "zombie-4");
        assertThat(committedOffset(raw)).isEqualTo(5);
    }

    @Test
    void aCommitThatTimesOutWhileTheBrokerIsAwayIsCommittedAgainAndEveryOutputLandsOnce() throws Exception {
        String txId = "retried-" + System.nanoTime();
        TopicPartition raw = new TopicPartition(Topics.RAW, 1);
        AtomicInteger commitCalls = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger aborts = new AtomicInteger();
        List<Thread> restarts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer()) {
            TransactionalCommitter committer = new TransactionalCommitter(
                    () -> counting(producer(txId, Duration.ofSeconds(8)), commitCalls, timeouts, aborts),
                    before(outputs -> {
                        // Everything is sent; the broker goes away before the commit and comes back 5 s later
                        // (a KRaft broker takes some 10 s more to register again: 5 attempts of 8 s cover it).
                        KAFKA.broker().stop();
                        Thread back = new Thread(() -> {
                            try {
                                Thread.sleep(5000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            KAFKA.broker().start();
                        });
                        back.start();
                        restarts.add(back);
                    }));
            try {
                committer.commit(outputs("retried", 6), Map.of(raw, new OffsetAndMetadata(6)), consumer.groupMetadata());
            } finally {
                committer.close();
                for (Thread t : restarts) {
                    t.join();
                }
            }
        }

        assertThat(timeouts.get()).as("the commit timed out while the broker was away").isPositive();
        assertThat(commitCalls.get()).as("and was committed again").isEqualTo(timeouts.get() + 1);
        assertThat(aborts.get()).as("never aborted").isZero();
        assertThat(keys(read("read_committed"), "retried")).containsExactlyInAnyOrder("retried-0", "retried-1",
                "retried-2", "retried-3", "retried-4", "retried-5");
        assertThat(committedOffset(raw)).isEqualTo(6);
    }

    private static List<ProducerRecord<String, byte[]>> outputs(String prefix, int n) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ProducerRecord<>(Topics.CLASSIFIED, prefix + "-" + i, ("{\"n\":" + i + "}").getBytes()));
        }
        return out;
    }

    private static KafkaProducer<String, byte[]> producer(String txId, Duration maxBlock) {
        // The services' transactional producer, blocking at most maxBlock: how long a commit may wait is under test.
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
        KafkaClients clients = new KafkaClients(props);
        return clients.transactionalProducer("committer-test", KafkaClients.Payload.JSON, txId, Duration.ofSeconds(60));
    }

    /** The producer, counting its commits, the commits that timed out and its aborts. */
    @SuppressWarnings("unchecked")
    private static Producer<String, byte[]> counting(Producer<String, byte[]> producer, AtomicInteger commits,
                                                     AtomicInteger timeouts, AtomicInteger aborts) {
        return (Producer<String, byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commitTransaction")) {
                        commits.incrementAndGet();
                    } else if (method.getName().equals("abortTransaction")) {
                        aborts.incrementAndGet();
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof TimeoutException && method.getName().equals("commitTransaction")) {
                            timeouts.incrementAndGet();
                        }
                        throw e.getCause();
                    }
                });
    }

    // Plain clients below, not KafkaClients': the test reads the group's committed offsets as any member
    // would, and the topic with either isolation level, to see what a transaction left visible.
    private static KafkaConsumer<String, byte[]> groupConsumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static long committedOffset(TopicPartition partition) {
        try (KafkaConsumer<String, byte[]> c = groupConsumer()) {
            OffsetAndMetadata o = c.committed(java.util.Set.of(partition), Duration.ofSeconds(30)).get(partition);
            return o == null ? -1 : o.offset();
        }
    }

    /** Everything on the classified topic, read with this isolation level. */
    private static List<ConsumerRecord<String, byte[]>> read(String isolation) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(Topics.CLASSIFIED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < quietUntil) {
                int before = all.size();
                c.poll(Duration.ofMillis(100)).forEach(all::add);
                if (all.size() > before) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
            return all;
        }
    }

    private static List<String> keys(List<ConsumerRecord<String, byte[]>> records, String... prefixes) {
        return records.stream().map(ConsumerRecord::key)
                .filter(k -> java.util.Arrays.stream(prefixes).anyMatch(p -> k.startsWith(p + "-"))).toList();
    }
}
