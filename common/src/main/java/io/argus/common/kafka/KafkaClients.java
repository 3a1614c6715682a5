package io.argus.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.common.topics.TopicSpec;

/**
 * Every Kafka client Argus makes, and why each setting is what it is. Services and tools never
 * spell out client properties themselves: they ask for the kind of client they need here.
 *
 * <p>Keys are strings (sensor id, image id, sample id, model name) and values bytes (an image, or
 * JSON) on every Argus topic, so every client here is {@code <String, byte[]>}.
 */
public final class KafkaClients {

    /** What a producer mostly sends, which decides whether compressing it pays. */
    public enum Payload {
        /** Image files: PNG, JPEG and TIFF are compressed already; compressing again only costs CPU. */
        IMAGES,
        /** JSON results and events: lz4 shrinks them severalfold for little CPU. */
        JSON
    }

    private final Map<String, Object> base;

    /**
     * @param base where the brokers are and how to reach them: {@code bootstrap.servers} and any
     *             security settings (a service's {@code kafka.*} configuration). A group id in it is
     *             ignored: each client below says whether it belongs to a group.
     */
    public KafkaClients(Map<String, Object> base) {
        this.base = Map.copyOf(base);
    }

    public static KafkaClients bootstrap(String servers) {
        return new KafkaClients(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    /**
     * A producer whose acknowledged records are durable and written once: {@code acks=all} (on
     * every in-sync replica before the ack) and idempotence (a retried send is not stored twice).
     * Requests may be as large as the largest record a topic takes, since images travel whole.
     * Batches wait up to 2 ms to fill: records come in bursts, and two milliseconds are nothing
     * against a classification's latency.
     */
    public KafkaProducer<String, byte[]> reliableProducer(String clientId, Payload payload) {
        return producer(reliableProducerProperties(clientId, payload));
    }

    /**
     * A reliable producer for a request path: a send that Kafka cannot take within
     * {@code timeout} fails instead of blocking, so the caller can answer 503 while the broker is
     * away rather than hold the request (and the camera) until the default two minutes pass.
     */
    public KafkaProducer<String, byte[]> requestProducer(String clientId, Payload payload, Duration timeout) {
        Map<String, Object> props = reliableProducerProperties(clientId, payload);
        int ms = (int) Math.max(2, timeout.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, ms / 2 - 2));
        return producer(props);
    }

    /**
     * A reliable producer inside Kafka transactions (outputs and consumed offsets committed
     * together). The transactional id names the replica: a restarted replica with the same id
     * fences its predecessor, so a zombie cannot commit. A transaction open longer than
     * {@code transactionTimeout} is aborted by the broker.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(String clientId, Payload payload,
                                                               String transactionalId, Duration transactionTimeout) {
        Map<String, Object> props = reliableProducerProperties(clientId, payload);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        // A transaction begun right after the one before finds the broker still writing that one's
        // markers, and its first records are refused (CONCURRENT_TRANSACTIONS) until it is done. With
        // Kafka's 100 ms backoff every image of the new transaction waited 100 ms more: inference's
        // p99 at half load went from 165 to 88 ms with 10 (docs/serving.md). Backoffs still grow to
        // retry.backoff.max.ms (1 s), so a broker that is away is not hammered.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        return producer(props);
    }

    /**
     * A transactional producer for a request path: all of a request's records are stored or none
     * are, and a broker that cannot take them within {@code failAfter} fails the request instead of
     * holding it (see {@link #requestProducer}).
     */
    public KafkaProducer<String, byte[]> transactionalRequestProducer(String clientId, Payload payload,
                                                                      String transactionalId, Duration failAfter) {
        Map<String, Object> props = reliableProducerProperties(clientId, payload);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(failAfter.toMillis() * 3, 10_000));
        int ms = (int) Math.max(2, failAfter.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, ms / 2 - 2));
        return producer(props);
    }

    /**
     * A producer for load generators (benchmarks): reliable, with large batches and buffer, so that
     * the generator is never what limits the measured throughput.
     */
    public KafkaProducer<String, byte[]> loadProducer(String clientId) {
        Map<String, Object> props = reliableProducerProperties(clientId, Payload.IMAGES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 512L << 20);
        return producer(props);
    }

    /**
     * A consumer of a group that commits its own offsets (never automatically: offsets are committed
     * only once the outputs they lead to are stored) and reads only committed transactions. A group
     * that is new starts at the earliest record, so images sent before it existed are not skipped.
     *
     * @param instanceId a static group membership: a replica that restarts within the session
     *                   timeout gets its partitions back without a rebalance of the others
     */
    public KafkaConsumer<String, byte[]> groupConsumer(String clientId, String groupId, String instanceId,
                                                      Duration sessionTimeout, int maxPollRecords) {
        Map<String, Object> props = consumerProperties(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A consumer outside any group, for clients that assign partitions and seek themselves:
     * followers that rebuild state from a whole topic, snapshots, watchers (lookups by offset:
     * {@link #lookup}). It reads only committed transactions (an aborted result is never seen).
     */
    public KafkaConsumer<String, byte[]> reader(String clientId) {
        return new KafkaConsumer<>(consumerProperties(clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * A {@link #reader} for lookups: one consumer that seeks to one record after another. After a
     * poll returns, the consumer already has the next fetch in flight, and it sends no other fetch
     * to that broker until that one returns: with nothing new on the partition, after the broker's
     * wait. So the broker may hold an empty fetch for 10 ms only. With a reader's 500 ms, the demo's
     * fifty labels by image id (each a lookup of the image's record) took 24.8 s to store, with 10 ms
     * 0.8 s ({@code LabelApiTest} holds twenty under 4 s). Between lookups the consumer is idle: it
     * fetches only while it polls.
     */
    public KafkaConsumer<String, byte[]> lookup(String clientId) {
        Map<String, Object> props = consumerProperties(clientId);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin(String clientId) {
        Map<String, Object> props = new HashMap<>(base);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }

    private Map<String, Object> reliableProducerProperties(String clientId, Payload payload) {
        Map<String, Object> props = new HashMap<>(base);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, payload == Payload.JSON ? "lz4" : "none");
        return props;
    }

    private Map<String, Object> consumerProperties(String clientId) {
        Map<String, Object> props = new HashMap<>(base);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A single record may be as large as the largest a topic takes (an image whole).
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
        // How long the broker holds a fetch that finds nothing new: Kafka's default. A fetch returns as
        // soon as committed data is there (a transaction's commit marker releases it), so a shorter
        // wait does not show records sooner; it only makes every idle reader ask again more often.
        // At 50 ms, the service's followers and the bench's reader cost the broker 1% of a core on
        // a ResNet-50 run (docs/serving.md, "Idle readers"); the time from a result's send until it
        // could be read committed stayed p50 6-7 ms, p99 16 ms either way.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        return props;
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> props) {
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
