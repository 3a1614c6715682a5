package io.argus.tools.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import io.argus.common.contract.Classification;
import io.argus.common.contract.ImageHeaders;
import io.argus.common.contract.RawImage;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;
import io.argus.common.topics.Topics;
import io.argus.local.broker.ArgusBroker;

/**
 * The physical bound of an end-to-end run: what the broker alone sustains on this machine for the
 * run's records, with everything Kafka does in the run and nothing else. The same load generator
 * sends the same images to a topic shaped like the raw topic; a pass-through consumes them as
 * inference-service does (its group consumer, read_committed, polls of one batch) and, with no
 * decoding and no model, writes a result of a real result's size for each through a transactional
 * producer like the service's, committing outputs and offsets together on the service's cadence
 * (at once without a backlog, every commit interval while one lasts); a read_committed reader
 * takes the results as the end-to-end run's does. Same broker, same cores, in the bench's JVM.
 */
final class BrokerBound {

    static final String IN = "argus.bench.bound.raw";
    static final String OUT = "argus.bench.bound.classified";
    private static final Duration STALL = Duration.ofSeconds(60);

    /** Records per second at saturation (once the first 10% are through, as the end-to-end figure). */
    record Result(int records, int resultBytes, double recordsPerSecond) {
    }

    private BrokerBound() {
    }

    static Result measure(ArgusBroker broker, List<byte[]> images, int n, int batch, int partitions,
                          Duration commitInterval, Consumer<String> progress) throws Exception {
        List<TopicSpec> specs = new ArrayList<>();
        for (TopicSpec s : TopicSpec.argusTopics(TopicNames.DEFAULTS, partitions)) {
            if (s.name().equals(Topics.RAW)) {
                specs.add(new TopicSpec(IN, s.partitions(), s.configs()));
            } else if (s.name().equals(Topics.CLASSIFIED)) {
                specs.add(new TopicSpec(OUT, s.partitions(), s.configs()));
            }
        }
        broker.createTopics(specs);
        String bootstrap = broker.bootstrapServers();
        byte[] result = Json.write(sampleResult());
        progress.accept("broker-alone bound: " + n + " records through Kafka, no model ...");
        PassThrough pass = new PassThrough(bootstrap, batch, commitInterval, result);
        pass.start();
        try (Results results = new Results(bootstrap, OUT, partitions);
             KafkaProducer<String, byte[]> producer = KafkaClients.bootstrap(bootstrap).loadProducer("argus-bench-load")) {
            pass.awaitAssigned();
            results.expect("bound-", n);
            for (int i = 0; i < n; i++) {
                results.sent(i, System.nanoTime());
                producer.send(new RawImage("bound-" + i, "bench-camera", Instant.now(), null, null,
                        images.get(i % images.size())).toRecord(IN));
            }
            producer.flush();
            results.await(STALL);
            Result r = new Result(n, result.length, results.steadyRate(0.1));
            progress.accept(String.format(Locale.ROOT, "broker-alone bound: %.1f records/s",
                    r.recordsPerSecond()));
            return r;
        } finally {
            pass.stop();
        }
    }

    /** A result as inference writes it for one of the bench's images (top 3, all fields set). */
    private static Classification sampleResult() {
        Instant now = Instant.now();
        return Classification.builder().image("bound-1234567", "bench-camera", now)
                .topK(List.of(new Classification.LabelScore("class-0007", 0.8731),
                        new Classification.LabelScore("class-0002", 0.0912),
                        new Classification.LabelScore("class-0004", 0.0214)))
                .model("bench", 1)
                .source(new Classification.Source(Topics.RAW, 3, 1_234_567, "0".repeat(64)))
                .timings(new Classification.Timings(now, now, 0.05, 0.42, 32))
                .build();
    }

    /** inference-service's Kafka work with no model: consume, write a result each, commit both in a transaction. */
    private static final class PassThrough {

        private final KafkaClients kafka;
        private final int batch;
        private final long intervalNanos;
        private final byte[] result;
        private final CountDownLatch assigned = new CountDownLatch(1);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private final Thread thread;

        PassThrough(String bootstrap, int batch, Duration commitInterval, byte[] result) {
            this.kafka = KafkaClients.bootstrap(bootstrap);
            this.batch = batch;
            this.intervalNanos = commitInterval.toNanos();
            this.result = result;
            this.thread = new Thread(this::run, "bench-bound-pass-through");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void awaitAssigned() throws InterruptedException {
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker-alone pass-through got no partitions in 60 s",
                        failure.get());
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }

        private void run() {
            try (KafkaConsumer<String, byte[]> consumer = kafka.groupConsumer("argus-bench-bound", "argus-bench-bound",
                    "argus-bench-bound", Duration.ofSeconds(15), batch);
                 KafkaProducer<String, byte[]> producer = kafka.transactionalProducer("argus-bench-bound",
                         KafkaClients.Payload.JSON, "argus-bench-bound", Duration.ofSeconds(60))) {
                producer.initTransactions();
                consumer.subscribe(List.of(IN));
                List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                long since = 0;
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                        if (out.isEmpty()) {
                            since = System.nanoTime();
                        }
                        // Keyed by image id, as a result is (the raw record's key is the sensor).
                        Header id = r.headers().lastHeader(ImageHeaders.IMAGE_ID);
                        out.add(new ProducerRecord<>(OUT, new String(id.value(), StandardCharsets.UTF_8), result));
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    if (!out.isEmpty() && (!backlog(consumer) || System.nanoTime() - since >= intervalNanos)) {
                        producer.beginTransaction();
                        out.forEach(producer::send);
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        producer.commitTransaction();
                        out.clear();
                        offsets.clear();
                    }
                }
            } catch (RuntimeException e) {
                failure.set(e);
                throw e;
            }
        }

        /** As the service decides: more than a full batch waiting. */
        private boolean backlog(KafkaConsumer<String, byte[]> consumer) {
            long waiting = 0;
            for (TopicPartition p : consumer.assignment()) {
                waiting += consumer.currentLag(p).orElse(0);
            }
            return waiting > batch;
        }
    }
}
