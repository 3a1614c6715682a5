package io.argus.inference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The counters of committed batches count every image under its own tags, however many tag combinations come. */
class InferenceMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InferenceMetrics metrics = new InferenceMetrics(registry);

    @Test
    void eachImageIsCountedUnderItsLabelAndModelVersionAndEachDeadLetterUnderItsReason() {
        metrics.committed(RawBatch.EMPTY, List.of(classified("shirt", 1), classified("shirt", 1), classified("bag", 1)));
        metrics.committed(RawBatch.EMPTY, List.of(classified("shirt", 2), failed("CORRUPT_IMAGE"),
                classified("shirt", 1), failed("CORRUPT_IMAGE"), failed("EMPTY")));
        metrics.reviewed("low_confidence");
        metrics.reviewed("low_confidence");
        metrics.reviewCapped("random_sample");

        assertThat(classifiedCount("shirt", 1)).isEqualTo(3);
        assertThat(classifiedCount("shirt", 2)).isEqualTo(1);
        assertThat(classifiedCount("bag", 1)).isEqualTo(1);
        assertThat(registry.get("argus.images.dead.lettered").tags("stage", "decode", "reason", "CORRUPT_IMAGE")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("argus.images.dead.lettered").tags("stage", "decode", "reason", "EMPTY")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("argus.images.review").tag("reason", "low_confidence").counter().count()).isEqualTo(2);
        assertThat(registry.get("argus.images.review.capped").tag("reason", "random_sample").counter().count())
                .isEqualTo(1);
    }

    @Test
    void pastTheCachesBoundNoCountIsLost() {
        List<Outcome> many = new ArrayList<>();
        for (int i = 0; i < InferenceMetrics.MAX_CACHED + 5; i++) {
            many.add(classified("label-" + i, 1));
        }
        metrics.committed(RawBatch.EMPTY, many);
        metrics.committed(RawBatch.EMPTY, List.of(classified("label-0", 1), classified("label-" + InferenceMetrics.MAX_CACHED, 1)));

        assertThat(metrics.cached()).isLessThanOrEqualTo(InferenceMetrics.MAX_CACHED);
        assertThat(classifiedCount("label-0", 1)).isEqualTo(2);
        assertThat(classifiedCount("label-" + InferenceMetrics.MAX_CACHED, 1)).isEqualTo(2);
        assertThat(classifiedCount("label-7", 1)).isEqualTo(1);
    }

    private double classifiedCount(String label, int version) {
        return registry.get("argus.images.classified").tags("label", label, "model_version", Integer.toString(version))
                .counter().count();
    }

    private static Outcome classified(String label, int version) {
        Instant now = Instant.now();
        return new Outcome.Classified(record(), Classification.builder().image("img", "cam", now)
                .topK(List.of(new Classification.LabelScore(label, 0.9))).model("argus", version)
                .source(new Classification.Source("argus.images.raw", 0, 0))
                .timings(new Classification.Timings(now, now, 0.1, 1.0, 32)).build());
    }

    private static Outcome failed(String code) {
        return new Outcome.Failed(record(), "img", "decode", code, "unreadable");
    }

    private static ConsumerRecord<String, byte[]> record() {
        return new ConsumerRecord<>("argus.images.raw", 0, 0, "cam", new byte[0]);
    }
}
