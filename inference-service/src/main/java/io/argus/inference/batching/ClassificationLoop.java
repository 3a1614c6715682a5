package io.argus.inference.batching;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.argus.common.topics.TopicSpec;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.argus.inference.metrics.InferenceMetrics;
import io.argus.inference.model.CurrentModel;
import io.argus.inference.routing.ResultRouter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The heart of inference-service, one thread: poll {@code argus.images.raw} into micro-batches,
 * classify each batch with the model current at that moment, route the outcomes, and commit
 * outputs and offsets together. Nothing is consumed before a model is loaded; a batch whose
 * commit fails is processed again; on shutdown the batch in flight finishes and commits.
 */
@ApplicationScoped
public class ClassificationLoop {

    private static final Logger LOG = Logger.getLogger(ClassificationLoop.class);

    private final Map<String, Object> kafka;
    private final InferenceConfig config;
    private final String rawTopic;
    private final CurrentModel current;
    private final BatchClassifier classifier;
    private final ResultRouter router;
    private final InferenceMetrics metrics;
    private final MeterRegistry meters;
    private volatile boolean running = true;
    private Thread thread;

    public ClassificationLoop(@Identifier("default-kafka-broker") Map<String, Object> kafka, InferenceConfig config,
                              TopicsConfig topics, CurrentModel current, BatchClassifier classifier,
                              ResultRouter router, InferenceMetrics metrics, MeterRegistry meters) {
        this.kafka = kafka;
        this.config = config;
        this.rawTopic = topics.raw();
        this.current = current;
        this.classifier = classifier;
        this.router = router;
        this.metrics = metrics;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "argus-classification");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(60_000);
        }
    }

    private void run() {
        try {
            while (running && !current.awaitLoaded(1000)) {
                // Consuming before a model is there would only move images into a buffer.
            }
        } catch (InterruptedException e) {
            return;
        }
        while (running) {
            try {
                consume();
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.errorf(e, "Classification loop failed; restarting it in 2 s");
                sleep(2000);
            }
        }
        LOG.info("Classification loop stopped");
    }

    private void consume() {
        MicroBatcher batcher = new MicroBatcher(config.batch().maxSize(), config.batch().maxWait());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new ByteArrayDeserializer());
             // Per-partition lag metrics appear once partitions are fetched: look for them every 10 s, not 60.
             KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer, Tags.empty(),
                     Executors.newSingleThreadScheduledExecutor(r -> {
                         Thread t = new Thread(r, "argus-kafka-metrics");
                         t.setDaemon(true);
                         return t;
                     }), Duration.ofSeconds(10));
             BatchCommitter committer = committer()) {
            // Consumer lag per partition (kafka_consumer_fetch_manager_records_lag) and the rest.
            consumerMetrics.bindTo(meters);
            consumer.subscribe(List.of(rawTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    batcher.drop(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.infof("Classifying partitions %s", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    batcher.drop(partitions);
                }
            });
            LOG.infof("Consuming %s as group %s (batches of up to %d, wait %d ms, %s)", rawTopic, config.groupId(),
                    config.batch().maxSize(), config.batch().maxWait().toMillis(),
                    config.exactlyOnce() ? "exactly once" : "at least once");
            while (running) {
                RawBatch batch = batcher.next(consumer, () -> running);
                if (!batch.isEmpty()) {
                    process(batch, batcher, consumer, committer);
                }
            }
        }
    }

    private void process(RawBatch batch, MicroBatcher batcher, KafkaConsumer<String, byte[]> consumer,
                         BatchCommitter committer) {
        List<Outcome> outcomes;
        Optional<CurrentModel.Lease> lease = current.lease();
        if (lease.isEmpty()) {
            rewind(batch, batcher, consumer);
            return;
        }
        try (CurrentModel.Lease model = lease.get()) {
            outcomes = classifier.classify(batch.records(), model.classifier());
        }
        ResultRouter.Routed routed = router.route(outcomes);
        try {
            committer.commit(routed.records(), batch.nextOffsets(), consumer);
            metrics.committed(batch, outcomes);
            routed.reviewReasons().forEach(metrics::reviewed);
        } catch (BatchCommitter.NotCommitted e) {
            LOG.warnf("Batch of %d not committed (%s); it will be processed again", batch.size(), e.getMessage());
            rewind(batch, batcher, consumer);
            sleep(500);
        }
    }

    private static void rewind(RawBatch batch, MicroBatcher batcher, KafkaConsumer<String, byte[]> consumer) {
        batcher.rewind(batch).forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private BatchCommitter committer() {
        if (config.exactlyOnce()) {
            return new TransactionalCommitter(() -> producer(true));
        }
        return new AtLeastOnceCommitter(producer(false));
    }

    private KafkaProducer<String, byte[]> producer(boolean transactional) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Dead letters carry the original image.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "argus-inference");
        if (transactional) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "argus-inference-" + config.replicaId());
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        }
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "argus-inference-" + config.replicaId());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Images that arrived before this group existed are classified too.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batch().maxSize());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "argus-inference");
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
