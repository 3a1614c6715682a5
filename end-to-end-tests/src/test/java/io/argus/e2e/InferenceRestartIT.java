package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

@ExtendWith(StackExtension.class)
class InferenceRestartIT {

    private static final int IMAGES = 1600;
    private static final int PER_SECOND = 100;
    private static final int KILLS = 3;

    /**
     * While images stream in through ingest (plus some undecodable records straight to Kafka),
     * inference is killed with SIGKILL three times mid-stream and restarted, then stopped with
     * SIGTERM and restarted. Afterwards every image must have exactly one classified or
     * dead-letter record.
     */
    @Test
    void noImageIsLostOrDuplicatedWhenInferenceIsKilledAndRestartedMidStream(ArgusStack stack) throws Exception {
        Run run = streamWhileKilling(stack, "eos");

        assertThat(run.refused).isZero();
        assertThat(run.missing).as("images with neither a result nor a dead letter").isZero();
        assertThat(run.ledger.duplicates()).as("duplicates seen by a read_committed consumer").isZero();
        assertThat(run.ledger.deadLettered.keySet()).allMatch(id -> id.startsWith("eos-junk-"));
        assertThat(run.ledger.deadLettered).hasSize(IMAGES / 40);
    }

    /**
     * The same faults with transactions off ({@code exactly-once=false}): nothing may be lost;
     * the duplicates that at-least-once allows are counted for the record, not asserted away.
     */
    @Test
    void withoutTransactionsNothingIsLostAndTheDuplicatesAreCounted(ArgusStack stack) throws Exception {
        stack.inference().stop();
        stack.startInference("-Dargus.inference.exactly-once=false");
        stack.awaitInference();
        try {
            Run run = streamWhileKilling(stack, "alo", "-Dargus.inference.exactly-once=false");

            assertThat(run.missing).as("images with neither a result nor a dead letter").isZero();
            assertThat(run.ledger.deadLettered).hasSize(IMAGES / 40);
        } finally {
            stack.inference().stop();
            stack.startInference();
            stack.awaitInference();
        }
    }

    private record Run(Ledger ledger, int refused, int missing) {
    }

    private static Run streamWhileKilling(ArgusStack stack, String mode, String... inferenceOptions) throws Exception {
        LabeledImages test = FashionMnist.loadSubset().test();
        Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        Random random = new Random(9);

        Thread stream = new Thread(() -> {
            try (KafkaProducer<String, byte[]> camera = new KafkaProducer<>(Map.of("bootstrap.servers",
                    stack.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < IMAGES; i++) {
                    Pace.await(start, i, PER_SECOND);
                    if (i % 40 == 39) {
                        // A camera sending garbage: must end up in the DLQ, not stall anything.
                        byte[] junk = new byte[500];
                        random.nextBytes(junk);
                        junk[0] = 1;
                        String id = mode + "-junk-" + i;
                        camera.send(new RawImage(id, "junk-cam", Instant.now(), null, null, junk).toRecord(Topics.RAW)).get();
                        sent.add(id);
                        continue;
                    }
                    var answer = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", test.png(i % test.count()),
                            "restart-cam-" + (i % 5));
                    if (answer.statusCode() == 202) {
                        sent.add(io.argus.common.json.Json.mapper().readTree(answer.body()).get("imageId").asText());
                    } else {
                        refused.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "e2e-stream");
        stream.start();

        Thread.sleep(3000);
        for (int k = 0; k < KILLS; k++) {
            stack.inference().kill();
            Thread.sleep(1000);
            stack.startInference(inferenceOptions);
            stack.awaitInference();
            Thread.sleep(1500);
        }
        stack.inference().stop();
        stack.startInference(inferenceOptions);
        stack.awaitInference();
        stream.join();

        Set<String> ids = new HashSet<>(sent);
        Ledger ledger = Ledger.read(stack.bootstrap(), ids, Duration.ofSeconds(120));
        int missing = ledger.missing(ids);
        System.out.printf("RECONCILIATION (%s) inference killed %d times (SIGKILL) and stopped once (SIGTERM) "
                        + "mid-stream: sent %d (refused by ingest %d), classified %d, dead-lettered %d, missing %d, "
                        + "duplicates %d%n", mode.equals("eos") ? "exactly once" : "at least once", KILLS, ids.size(),
                refused.get(), ledger.classified.size(), ledger.deadLettered.size(), missing, ledger.duplicates());
        return new Run(ledger, refused.get(), missing);
    }
}
