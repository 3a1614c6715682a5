package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.topics.Topics;

@ExtendWith(StackExtension.class)
class HotSwapIT {

    private static final int IMAGES = 1000;
    private static final int PER_SECOND = 100;

    /**
     * A second version is promoted while images stream in. Every image must get exactly one
     * result; on every raw partition the results switch from the old version to the new one at a
     * single point, with no more of a pause there than between any two batches.
     */
    @Test
    void promotingAVersionUnderLoadSwitchesEveryPartitionOnceWithoutLosingAnImage(ArgusStack stack) throws Exception {
        String log = stack.pretrain("--epochs", "1", "--limit", "1500", "--seed", "7");
        Matcher m = Pattern.compile("Pretrained argus v(\\d+)").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        int next = Integer.parseInt(m.group(1));
        int before = stack.servedVersion();
        assertThat(next).isNotEqualTo(before);

        LabeledImages test = FashionMnist.loadSubset().test();
        Set<String> ids = new HashSet<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> promoteFailed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread promoter = new Thread(() -> {
            try {
                Thread.sleep(4000);
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.trainerUrl() + "/api/models/" + next + "/promote"))
                        .header("Authorization", "Bearer " + ArgusStack.ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("promote answered " + r.statusCode() + ": " + r.body());
                }
            } catch (Exception e) {
                promoteFailed.set(e);
            }
        });
        promoter.start();
        try (KafkaProducer<String, byte[]> camera = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrap(),
                "linger.ms", 0), new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < IMAGES; i++) {
                Pace.await(start, i, PER_SECOND);
                String id = "swap-" + i;
                camera.send(new RawImage(id, "swap-cam-" + (i % 8), Instant.now(), "image/png", null,
                        test.png(i % test.count())).toRecord(Topics.RAW));
                ids.add(id);
            }
        }
        promoter.join();
        assertThat(promoteFailed.get()).as("promoting v" + next).isNull();

        Ledger ledger = Ledger.read(stack.bootstrap(), ids, Duration.ofSeconds(120));
        assertThat(ledger.missing(ids)).isZero();
        assertThat(ledger.duplicates()).isZero();

        Map<Integer, List<Classification>> byPartition = new HashMap<>();
        ledger.results.values().forEach(c -> byPartition.computeIfAbsent(c.source().partition(), p -> new ArrayList<>()).add(c));
        long worstPauseMs = 0;
        long worstGapMs = 0;
        double firstNewBatchMs = ledger.results.values().stream().filter(c -> c.modelVersion() == next)
                .min(Comparator.comparing(c -> c.timings().classifiedAt())).map(c -> c.timings().inferenceMs()).orElse(-1.0);
        double[] forward = ledger.results.values().stream().mapToDouble(c -> c.timings().inferenceMs()).sorted().toArray();
        double medianForwardMs = forward[forward.length / 2];
        for (List<Classification> results : byPartition.values()) {
            results.sort(Comparator.comparingLong(c -> c.source().offset()));
            System.out.printf("HOTSWAP partition %d: %d results, versions %s, first at %s, last at %s%n",
                    results.get(0).source().partition(), results.size(),
                    results.stream().map(Classification::modelVersion).distinct().toList(),
                    results.get(0).timings().classifiedAt(), results.get(results.size() - 1).timings().classifiedAt());
            int switches = 0;
            for (int i = 1; i < results.size(); i++) {
                Classification a = results.get(i - 1);
                Classification b = results.get(i);
                assertThat(b.modelVersion()).as("versions never go back").isIn(a.modelVersion(), next);
                // Only gaps where the next image had already arrived count: idle time is not a pause.
                long gap = Duration.between(a.timings().classifiedAt(), b.timings().classifiedAt()).toMillis()
                        - Math.max(0, Duration.between(a.timings().classifiedAt(), b.timings().ingestedAt()).toMillis());
                worstGapMs = Math.max(worstGapMs, gap);
                if (b.modelVersion() != a.modelVersion()) {
                    switches++;
                    worstPauseMs = Math.max(worstPauseMs, gap);
                }
            }
            assertThat(switches).as("switch points on partition %d", results.get(0).source().partition()).isEqualTo(1);
            assertThat(results.get(0).modelVersion()).isEqualTo(before);
            assertThat(results.get(results.size() - 1).modelVersion()).isEqualTo(next);
        }
        System.out.printf(java.util.Locale.ROOT, "HOTSWAP v%d -> v%d under %d images/s: %d images, %d partitions, each "
                        + "switched once; longest wait at a switch %d ms, longest wait anywhere %d ms; forward pass of the "
                        + "first batch on v%d %.1f ms, median %.1f ms; missing 0, duplicates 0%n", before, next, PER_SECOND,
                ids.size(), byPartition.size(), worstPauseMs, worstGapMs, next, firstNewBatchMs, medianForwardMs);
        assertThat(worstPauseMs).as("the swap adds no pause beyond ordinary batch-to-batch waits")
                .isLessThanOrEqualTo(Math.max(worstGapMs, 250));
        assertThat(stack.servedVersion()).isEqualTo(next);
    }
}
