package io.argus.trainer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.ModelEventFeed;
import io.argus.common.topics.TopicSpec;
import io.argus.local.testing.TemporaryBroker;
import io.argus.local.testing.TopicReader;

/**
 * The champion survives compaction of {@code argus.models}: on a real broker, a topic compacted as
 * eagerly as Kafka allows (a segment per 100 ms, any dirty ratio, no lag) keeps, after a
 * promotion, a rollback and rejections of later candidates, the record that says which version
 * serves, and a reader that starts afresh (a restarted trainer or inference) finds it.
 */
class ModelTopicCompactionTest {

    private static final String TOPIC = "argus.models.compaction";
    @RegisterExtension
    static final TemporaryBroker KAFKA = new TemporaryBroker(b -> b.createTopics(List.of(new TopicSpec(TOPIC, 1,
            Map.of("cleanup.policy", "compact", "retention.ms", "-1", "segment.ms", "100",
                    "min.cleanable.dirty.ratio", "0.0001", "min.compaction.lag.ms", "0", "delete.retention.ms", "0")))));

    @Test
    void afterCompactionAFreshReaderStillFindsTheRestoredChampionAndEveryVersionsLatestStatus() throws Exception {
        List<List<ModelEvent>> decisions = List.of(
                List.of(event(1, ModelStatus.PROMOTED, null)),
                List.of(event(2, ModelStatus.CANDIDATE, null)),
                List.of(event(2, ModelStatus.PROMOTED, 1)),
                // The automatic rollback: v2 out, v1 back.
                List.of(event(2, ModelStatus.WITHDRAWN, null), event(1, ModelStatus.RESTORED, 2)),
                List.of(event(3, ModelStatus.CANDIDATE, null)),
                List.of(event(3, ModelStatus.REJECTED, null)),
                List.of(event(4, ModelStatus.CANDIDATE, null)),
                List.of(event(4, ModelStatus.REJECTED, null)));
        int written = 0;
        try (KafkaProducer<String, byte[]> p = KafkaClients.bootstrap(KAFKA.bootstrapServers())
                .reliableProducer("compaction-test", KafkaClients.Payload.JSON)) {
            for (List<ModelEvent> decision : decisions) {
                for (ProducerRecord<String, byte[]> r : ModelEventPublisher.records(TOPIC, decision)) {
                    p.send(r).get(10, TimeUnit.SECONDS);
                    written++;
                }
                // Each decision in a segment of its own: every one but the newest can be cleaned.
                Thread.sleep(150);
            }
            p.send(new ProducerRecord<>(TOPIC, "another-model", new byte[] {'{', '}'})).get(10, TimeUnit.SECONDS);
        }

        int total = written + 1;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<ConsumerRecord<String, byte[]>> left = readAll();
            return left.size() < total && left.stream().filter(r -> "argus".equals(r.key())).count() == 1;
        });

        AtomicReference<ModelEvent> champion = new AtomicReference<>();
        java.util.Map<Integer, ModelStatus> latest = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch caughtUp = new CountDownLatch(1);
        ModelEventFeed feed = new ModelEventFeed(KafkaClients.bootstrap(KAFKA.bootstrapServers()), TOPIC, "argus",
                "compaction-reader", new ModelEventFeed.Listener() {
                    @Override
                    public void event(ModelEvent e) {
                        latest.put(e.version(), e.status());
                    }

                    @Override
                    public void champion(ModelEvent e) {
                        champion.set(e);
                    }

                    @Override
                    public void caughtUp() {
                        caughtUp.countDown();
                    }
                }).start();
        try {
            assertThat(caughtUp.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            feed.stop();
        }
        assertThat(champion.get()).as("the champion record survived compaction").isNotNull();
        assertThat(champion.get().version()).isEqualTo(1);
        assertThat(champion.get().status()).isEqualTo(ModelStatus.RESTORED);
        assertThat(latest).containsEntry(1, ModelStatus.RESTORED).containsEntry(2, ModelStatus.WITHDRAWN)
                .containsEntry(3, ModelStatus.REJECTED).containsEntry(4, ModelStatus.REJECTED);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll() {
        try (TopicReader reader = TopicReader.fromStart(KAFKA.bootstrapServers(), TOPIC)) {
            return new ArrayList<>(reader.read(1000, Duration.ofSeconds(2)));
        }
    }

    private static ModelEvent event(int version, ModelStatus status, Integer previousChampion) {
        return new ModelEvent(ModelEvent.SCHEMA_VERSION, "argus", version, status, List.of("a", "b"), null, null,
                "sha", 1, null, "argus-v" + version + ".bundle", status.name().toLowerCase(), Instant.now(), null,
                previousChampion);
    }
}
