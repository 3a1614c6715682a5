package io.argus.inference.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.argus.common.image.DecoderBusy;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.ModelId;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.argus.inference.drift.DriftMonitor;
import io.argus.inference.metrics.InferenceMetrics;
import io.argus.inference.metrics.LoopTime;
import io.argus.inference.model.CurrentModel;
import io.argus.inference.progress.AssignedPartitions;
import io.argus.inference.progress.CommitFailures;
import io.argus.inference.routing.ResultRouter;
import io.argus.inference.shadow.ShadowImage;
import io.argus.inference.shadow.ShadowRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The heart of inference-service, one thread: poll {@code argus.images.raw} into micro-batches,
 * classify each batch with the model current at that moment, route the outcomes, and commit
 * outputs and offsets together (one commit per batch, or per commit interval while a backlog
 * lasts), each commit on a thread of its own while the next batches are classified
 * ({@link CommitPipeline}). Nothing is consumed before a model is loaded; a record whose outputs Kafka will not take
 * is isolated and dead-lettered ({@link IsolatingCommitter}); records whose commit fails for any
 * other reason are processed again; on shutdown the batch in flight finishes and commits.
 */
@ApplicationScoped
public class ClassificationLoop {

    private static final Logger LOG = Logger.getLogger(ClassificationLoop.class);
    /** How often a loop without images looks whether the commit in flight has finished. */
    private static final long SETTLE_CHECK_NANOS = 5_000_000;
    /**
     * How long the loop waits before it reads a batch again whose decoders ran out of memory: the
     * decoders have waited for their budget already, so what is short is the heap itself, and a
     * retry at once would only spin on it.
     */
    static final long DECODER_BUSY_PAUSE_MS = 1000;

    private final KafkaClients kafka;
    private final InferenceConfig config;
    private final String rawTopic;
    private final CurrentModel current;
    private final BatchClassifier classifier;
    private final ResultRouter router;
    private final InferenceMetrics metrics;
    private final DriftMonitor drift;
    private final ShadowRunner shadow;
    private final MeterRegistry meters;
    private final CommitFault fault;
    private final CommitFailures failures;
    private final AssignedPartitions assigned;
    private final long commitIntervalNanos;
    private final LoopTime time;
    private volatile boolean running = true;
    /** The model of the last batch, for the swap-pause fault. */
    private ModelId lastModel;
    private Thread thread;

    public ClassificationLoop(KafkaClients kafka, InferenceConfig config,
                              TopicsConfig topics, CurrentModel current, BatchClassifier classifier,
                              ResultRouter router, InferenceMetrics metrics, MeterRegistry meters,
                              CommitFault fault, CommitFailures failures, AssignedPartitions assigned,
                              DriftMonitor drift, ShadowRunner shadow) {
        this.drift = drift;
        this.shadow = shadow;
        this.kafka = kafka;
        this.config = config;
        this.rawTopic = topics.raw();
        this.current = current;
        this.classifier = classifier;
        this.router = router;
        this.metrics = metrics;
        this.meters = meters;
        this.fault = fault;
        this.failures = failures;
        this.assigned = assigned;
        this.commitIntervalNanos = config.commitInterval().toNanos();
        this.time = LoopTime.register(meters);
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
        MicroBatcher batcher = new MicroBatcher(config.batch().maxSize(), config.batch().maxWait(),
                config.fault().unboundedPrefetch());
        try (KafkaConsumer<String, byte[]> consumer = kafka.groupConsumer("argus-inference", config.groupId(),
                "argus-inference-" + config.replicaId(), config.sessionTimeout(), config.batch().maxSize());
             // Per-partition lag metrics appear once partitions are fetched: look for them every 10 s, not 60.
             KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer, Tags.empty(),
                     Executors.newSingleThreadScheduledExecutor(r -> {
                         Thread t = new Thread(r, "argus-kafka-metrics");
                         t.setDaemon(true);
                         return t;
                     }), Duration.ofSeconds(10));
             CommitPipeline commits = new CommitPipeline(new IsolatingCommitter(committer(consumer), router, failures),
                     !config.exactlyOnce(), metrics.commits())) {
            // Kafka's client metrics, the consumer's records_lag among them: a lag from what was read.
            // The lag that counts, what the group has committed, is ProgressMonitor's.
            consumerMetrics.bindTo(meters);
            Uncommitted uncommitted = new Uncommitted();
            consumer.subscribe(List.of(rawTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Still the owner here: what was classified is committed before the partitions go.
                    commit(uncommitted, batcher, consumer, commits);
                    commits.await().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
                    batcher.drop(partitions);
                    assigned.revoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.infof("Classifying partitions %s", partitions);
                    assigned.assigned(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // No longer the owner: nothing can be committed; the new owner classifies these again.
                    // A commit in flight is fenced or went through before: either way its outcome is known first.
                    commits.await().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
                    rewind(uncommitted.with(RawBatch.EMPTY), batcher, consumer);
                    uncommitted.clear();
                    batcher.drop(partitions);
                    assigned.revoked(partitions);
                }
            });
            LOG.infof("Consuming %s as group %s (batches of up to %d, wait %d ms, %s)", rawTopic, config.groupId(),
                    config.batch().maxSize(), config.batch().maxWait().toMillis(),
                    config.exactlyOnce() ? "exactly once" : "at least once");
            time.start();
            while (running) {
                commits.finished().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
                // Uncommitted outputs must not wait for images that may never come, nor a finished commit
                // (what it leads to: metrics, the shadow candidate, a rewind after a failure).
                long returnBy = Math.min(uncommitted.commitDue(commitIntervalNanos),
                        commits.inFlight() ? System.nanoTime() + SETTLE_CHECK_NANOS : Long.MAX_VALUE);
                RawBatch batch = batcher.next(consumer, () -> running, returnBy, time);
                if (!batch.isEmpty() && !classify(batch, uncommitted)) {
                    rewind(uncommitted.with(batch), batcher, consumer);
                    uncommitted.clear();
                    continue;
                }
                if (!uncommitted.isEmpty() && (commitNow(commits, consumer, batcher) || !running
                        || uncommitted.age() >= commitIntervalNanos)) {
                    commit(uncommitted, batcher, consumer, commits);
                }
            }
            commit(uncommitted, batcher, consumer, commits);
            commits.await().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
        } finally {
            assigned.none();
        }
    }

    /**
     * Exactly once, group commit: whatever was classified while the commit before ran goes in the next
     * one as soon as that is done. A slow stream gets a commit per batch, a backlog commits as large
     * as a commit takes to run, and no image waits for a timer. At least once the commit runs on this
     * thread: while a backlog lasts, one commit covers the batches of a commit interval, so a small
     * model is not held up by a commit per batch.
     */
    private boolean commitNow(CommitPipeline commits, KafkaConsumer<String, byte[]> consumer, MicroBatcher batcher) {
        return commits.inline() ? !backlog(consumer, batcher) : !commits.busy();
    }

    /** More than a full batch waiting: polled already, or fetched or still on the broker. */
    private boolean backlog(KafkaConsumer<String, byte[]> consumer, MicroBatcher batcher) {
        long waiting = batcher.buffered();
        for (TopicPartition partition : consumer.assignment()) {
            waiting += consumer.currentLag(partition).orElse(0);
        }
        return waiting > config.batch().maxSize();
    }

    /** Classifies and routes a batch into the uncommitted outputs; false if no model is there. */
    private boolean classify(RawBatch batch, Uncommitted uncommitted) {
        Optional<CurrentModel.Lease> lease = current.lease();
        if (lease.isEmpty()) {
            return false;
        }
        try (CurrentModel.Lease model = lease.get()) {
            faultSwapPause(model.classifier().id());
            BatchClassifier.Result result = classifier.classify(batch.records(), model.classifier(), time,
                    drift.wantsEmbeddings(), shadow::wants);
            for (int i = 0; i < result.outcomes().size(); i++) {
                Outcome o = result.outcomes().get(i);
                uncommitted.add(new Pending(batch, o, router.route(o), forShadow(o, result.inputs()[i], model)));
            }
        } catch (DecoderBusy e) {
            // Out of decode memory is not the images' fault: process the batch again once there is room.
            LOG.warnf("Batch of %d images waits %d ms for decode memory: %s", batch.size(), DECODER_BUSY_PAUSE_MS,
                    e.getMessage());
            metrics.decoderBusy();
            pause(DECODER_BUSY_PAUSE_MS);
            return false;
        }
        time.lap(LoopTime.Phase.RESULTS);
        return true;
    }

    /**
     * What a shadow candidate gets of this outcome once it is committed; null when none runs or the
     * share skips it (the batch kept the input only of the images {@link ShadowRunner#wants} picked).
     */
    private ShadowImage forShadow(Outcome o, float[] input, CurrentModel.Lease model) {
        if (!(o instanceof Outcome.Classified c) || input == null) {
            return null;
        }
        return new ShadowImage(c, input, model.classifier().inputSpec(),
                model.classifier().calibrationFor(c.result().sensorId()));
    }

    /** {@code argus.inference.fault.swap-pause}: the first batch of a swapped-in model waits (test-only). */
    private void faultSwapPause(ModelId model) {
        ModelId previous = lastModel;
        lastModel = model;
        if (previous != null && !previous.equals(model) && !config.fault().swapPause().isZero()) {
            LOG.warnf("FAULT argus.inference.fault.swap-pause: the first batch of %s waits %d ms", model,
                    config.fault().swapPause().toMillis());
            sleep(config.fault().swapPause().toMillis());
        }
    }

    /**
     * Hands what is uncommitted to the commit thread, once the commit before it is done: its outcome
     * must be known first, because a commit that fails sends everything after it back to be read again.
     */
    private void commit(Uncommitted uncommitted, MicroBatcher batcher, KafkaConsumer<String, byte[]> consumer,
                        CommitPipeline commits) {
        time.lap(LoopTime.Phase.OTHER);
        commits.await().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
        time.lap(LoopTime.Phase.COMMIT);
        if (uncommitted.isEmpty()) {
            return;
        }
        commits.start(uncommitted.handOver(), consumer.groupMetadata());
        // At least once the commit ran here, on the consumer's thread, and is known now.
        commits.finished().ifPresent(r -> settle(r, uncommitted, batcher, consumer));
        time.lap(LoopTime.Phase.COMMIT);
    }

    /**
     * What a finished commit leads to: metrics, drift and the shadow candidate see what was committed;
     * what was not is read again, and with it everything classified since (still uncommitted).
     */
    private void settle(IsolatingCommitter.Result result, Uncommitted uncommitted, MicroBatcher batcher,
                        KafkaConsumer<String, byte[]> consumer) {
        time.lap(LoopTime.Phase.COMMIT);
        Map<RawBatch, List<Outcome>> byBatch = new IdentityHashMap<>();
        for (Pending p : result.committed()) {
            byBatch.computeIfAbsent(p.batch(), b -> new ArrayList<>()).add(p.outcome());
            p.routed().reviewReasons().forEach(metrics::reviewed);
            p.routed().cappedReasons().forEach(metrics::reviewCapped);
        }
        byBatch.forEach(metrics::committed);
        drift.committed(result.committed().stream().map(Pending::outcome).toList());
        handToShadow(result.committed());
        if (result.notCommitted().isEmpty()) {
            failures.committed();
        } else {
            // Why was logged (once per cause) and counted by the committer; these wait and come again.
            failures.retrying();
            List<ConsumerRecord<String, byte[]>> again = new ArrayList<>();
            result.notCommitted().forEach(p -> again.add(p.source()));
            rewind(uncommitted.with(new RawBatch(again)), batcher, consumer);
            uncommitted.clear();
            sleep(500);
        }
        time.lap(LoopTime.Phase.OTHER);
    }

    /**
     * Only now that they are committed: the candidate sees each image once (a batch processed again
     * is not shadowed twice), in batches no larger than the champion's, and never holds up this thread.
     */
    private void handToShadow(List<Pending> committed) {
        List<ShadowImage> images = committed.stream().map(Pending::shadow).filter(s -> s != null).toList();
        int max = config.batch().maxSize();
        for (int from = 0; from < images.size(); from += max) {
            shadow.committed(images.subList(from, Math.min(images.size(), from + max)));
        }
    }

    /** Records classified since the last commit, in consumption order, with their outputs. */
    private static final class Uncommitted {

        private List<Pending> pending = new ArrayList<>();
        private long since;

        void add(Pending p) {
            if (pending.isEmpty()) {
                since = System.nanoTime();
            }
            pending.add(p);
        }

        boolean isEmpty() {
            return pending.isEmpty();
        }

        long age() {
            return System.nanoTime() - since;
        }

        /** When these must be committed (a {@link System#nanoTime()}); never while empty. */
        long commitDue(long intervalNanos) {
            return pending.isEmpty() ? Long.MAX_VALUE : since + intervalNanos;
        }

        /** All uncommitted records and {@code next} as one batch: what a rewind must re-read. */
        RawBatch with(RawBatch next) {
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            pending.forEach(p -> all.add(p.source()));
            all.addAll(next.records());
            return new RawBatch(all);
        }

        void clear() {
            pending.clear();
        }

        /** Everything uncommitted, for a commit; none is left. */
        List<Pending> handOver() {
            List<Pending> all = pending;
            pending = new ArrayList<>();
            return all;
        }
    }

    private static void rewind(RawBatch batch, MicroBatcher batcher, KafkaConsumer<String, byte[]> consumer) {
        batcher.rewind(batch).forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private BatchCommitter committer(KafkaConsumer<String, byte[]> consumer) {
        if (config.exactlyOnce()) {
            return new TransactionalCommitter(() -> producer(true), fault);
        }
        return new AtLeastOnceCommitter(producer(false), consumer, fault);
    }

    /** Results are JSON; dead letters carry the original image, which the producer's request size allows. */
    private KafkaProducer<String, byte[]> producer(boolean transactional) {
        if (transactional) {
            return kafka.transactionalProducer("argus-inference", KafkaClients.Payload.JSON,
                    "argus-inference-" + config.replicaId(), Duration.ofSeconds(60));
        }
        return kafka.reliableProducer("argus-inference", KafkaClients.Payload.JSON);
    }

    /** Sleeps {@code ms}, or less if the service is stopping. */
    private void pause(long ms) {
        long until = System.nanoTime() + ms * 1_000_000;
        while (running && System.nanoTime() < until) {
            sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
