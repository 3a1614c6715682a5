package io.argus.inference.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.Classification.LabelScore;

class ReviewPolicyTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void unsureResultsGoToReviewWithTheirReason() {
        ReviewPolicy policy = new ReviewPolicy(new ReviewPolicy.Settings(0.6, 0.1, 0, 0, 0), NOON, new Random(1));

        assertThat(policy.reason(result("Coat", 0.55, "Shirt", 0.30))).get()
                .matches(r -> r.code().equals("low_confidence") && r.message().contains("0.550"));
        assertThat(policy.reason(result("Coat", 0.62, "Shirt", 0.55))).get()
                .matches(r -> r.code().equals("small_margin") && r.message().contains("'Coat' leads 'Shirt' by only 0.070"));
        assertThat(policy.reason(result("Coat", 0.90, "Shirt", 0.05))).isEmpty();
        assertThat(policy.reason(result("Coat", 0.55, "Shirt", 0.30))).get().matches(ReviewPolicy.Review::routed);
    }

    @Test
    void aConfidentAnswerAboutAnImageUnlikeTheTrainingDataGoesToReviewSayingSo() {
        ReviewPolicy policy = new ReviewPolicy(new ReviewPolicy.Settings(0.6, 0.1, 0, 0, 0), NOON, new Random(1));
        Classification.Ood photo = new Classification.Ood(41.2, 12.5);
        Classification.Ood ordinary = new Classification.Ood(8.0, 12.5);

        assertThat(policy.reason(withOod(result("Bag", 0.997, "Coat", 0.001), photo))).get()
                .matches(r -> r.code().equals(ReviewPolicy.UNLIKE_TRAINING_DATA) && r.routed())
                .extracting(ReviewPolicy.Review::message).asString()
                .startsWith("unlike the training data").contains("41.2", "12.5");
        assertThat(policy.reason(withOod(result("Bag", 0.997, "Coat", 0.001), ordinary))).isEmpty();
        assertThat(policy.reason(withOod(result("Coat", 0.55, "Shirt", 0.30), ordinary))).get()
                .matches(r -> r.code().equals("low_confidence"));
        assertThat(policy.reason(result("Bag", 0.997, "Coat", 0.001))).as("a model without OOD statistics").isEmpty();
    }

    private static Classification withOod(Classification c, Classification.Ood ood) {
        return Classification.builder().image(c.imageId(), c.sensorId(), c.capturedAt()).topK(c.topK())
                .model(c.modelName(), c.modelVersion()).ood(ood).build();
    }

    @Test
    void aRandomShareOfConfidentResultsIsSampledSoTheQueueIsNotOnlyHardCases() {
        ReviewPolicy policy = new ReviewPolicy(new ReviewPolicy.Settings(0.6, 0.1, 0.05, 0, 0), NOON, new Random(7));

        long sampled = IntStream.range(0, 10_000).mapToObj(i -> policy.reason(result("Bag", 0.97, "Coat", 0.01)))
                .filter(r -> r.isPresent() && r.get().code().equals("random_sample")).count();

        assertThat(sampled).isBetween(400L, 600L);
    }

    @Test
    void capsPerMinuteAndPerClassKeepOneSourceFromFloodingTheQueue() {
        MutableClock clock = new MutableClock();
        ReviewPolicy policy = new ReviewPolicy(new ReviewPolicy.Settings(0.6, 0, 0, 5, 3), clock, new Random(1));

        assertThat(IntStream.range(0, 10).filter(i -> routed(policy, "Coat"))).as("per class").hasSize(3);
        assertThat(IntStream.range(0, 10).filter(i -> routed(policy, "Bag")))
                .as("overall: 5 a minute, 3 already used by coats").hasSize(2);
        assertThat(policy.capped()).isEqualTo(15);
        assertThat(policy.reason(result("Bag", 0.3, "Shirt", 0.2))).as("capped, with the reason it had").get()
                .matches(r -> !r.routed() && r.code().equals("low_confidence"));

        clock.now = clock.now.plusSeconds(60);
        assertThat(routed(policy, "Coat")).as("a new minute").isTrue();
    }

    private static boolean routed(ReviewPolicy policy, String label) {
        return policy.reason(result(label, 0.3, "Shirt", 0.2)).map(ReviewPolicy.Review::routed).orElse(false);
    }

    private static Classification result(String first, double p1, String second, double p2) {
        return Classification.builder().image("img", "cam", null)
                .topK(List.of(new LabelScore(first, p1), new LabelScore(second, p2))).model("argus", 1).build();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
