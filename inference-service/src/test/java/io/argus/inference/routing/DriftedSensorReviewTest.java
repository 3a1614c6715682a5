package io.argus.inference.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.Classification.LabelScore;
import io.argus.inference.drift.DriftMonitor;

/**
 * A sensor flagged as drifted gets a larger share of the review sampling, within the same caps, and
 * the review reason of each of its results says that it drifted.
 */
class DriftedSensorReviewTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final DriftMonitor.Drifted DRIFTED = new DriftMonitor.Drifted("cam-drifted", 0.61, 200, 0.2);

    @Test
    void aDriftedSensorsConfidentResultsAreSampledAtItsOwnRateSayingWhy() {
        ReviewPolicy policy = policy(0, 0);

        List<ReviewPolicy.Review> drifted = IntStream.range(0, 5000)
                .mapToObj(i -> policy.reason(confident("cam-drifted"))).flatMap(Optional::stream).toList();
        long ordinary = IntStream.range(0, 5000).mapToObj(i -> policy.reason(confident("cam-ordinary")))
                .filter(Optional::isPresent).count();

        assertThat(drifted).hasSizeBetween(900, 1100).allSatisfy(r -> {
            assertThat(r.code()).isEqualTo("sensor_drifted");
            assertThat(r.message()).startsWith("sensor cam-drifted drifted (drift score 0.61 over its last 200 images)");
        });
        assertThat(ordinary).as("the ordinary 1%").isBetween(30L, 70L);
    }

    @Test
    void unsureResultsOfADriftedSensorKeepTheirReasonAndSayItDrifted() {
        ReviewPolicy policy = policy(0, 0);

        assertThat(policy.reason(result("cam-drifted", "Coat", 0.55, "Shirt", 0.30))).get().satisfies(r -> {
            assertThat(r.code()).isEqualTo("low_confidence");
            assertThat(r.message()).contains("0.550").endsWith("; sensor cam-drifted drifted (drift score 0.61 over "
                    + "its last 200 images)");
        });
        assertThat(policy.reason(result("cam-ordinary", "Coat", 0.55, "Shirt", 0.30))).get()
                .satisfies(r -> assertThat(r.message()).doesNotContain("drifted"));
    }

    @Test
    void theCapsStillHoldForADriftedSensor() {
        ReviewPolicy policy = policy(50, 30);

        long routed = IntStream.range(0, 5000).mapToObj(i -> policy.reason(confident("cam-drifted")))
                .filter(r -> r.isPresent() && r.get().routed()).count();

        assertThat(routed).as("one label, one minute: the per-class cap").isEqualTo(30);
    }

    private static ReviewPolicy policy(int maxPerMinute, int maxPerClassPerMinute) {
        return new ReviewPolicy(new ReviewPolicy.Settings(0.6, 0.1, 0.01, maxPerMinute, maxPerClassPerMinute), NOON,
                new Random(7), sensor -> sensor.equals(DRIFTED.sensorId()) ? Optional.of(DRIFTED) : Optional.empty());
    }

    private static Classification confident(String sensor) {
        return result(sensor, "Bag", 0.97, "Coat", 0.01);
    }

    private static Classification result(String sensor, String first, double p1, String second, double p2) {
        return Classification.builder().image("img", sensor, null)
                .topK(List.of(new LabelScore(first, p1), new LabelScore(second, p2))).model("argus", 1).build();
    }
}
