package io.argus.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DriftEvent;

class DriftSeenTest {

    private final DriftSeen seen = new DriftSeen();

    @Test
    void aFlagIsPlacedAtTheSensorsImageThatCrossedTheLineEvenWhenTheEventIsReadFirst() {
        for (int i = 1; i <= 200; i++) {
            seen.result(result("cam-a-" + i, "cam-a"));
            if (i == 149) {
                seen.event(event("new-camera", DriftEvent.State.DRIFTED, "new-cam-150"));
            }
            seen.result(result("new-cam-" + i, "new-camera"));
        }

        assertThat(seen.lines()).containsExactly(
                "new-camera flagged at its image 150 of this stream (score 0.900, threshold 0.25, v1)");
    }

    @Test
    void aStreamWithoutEventsSaysNoSensorWasFlagged() {
        seen.result(result("a", "cam-a"));
        seen.result(result("b", "cam-b"));
        seen.result(result("b", "cam-b")); // a duplicate result is not a second image

        assertThat(seen.lines()).containsExactly("no sensor flagged (2 sensors, 2 results)");
    }

    private static Classification result(String imageId, String sensor) {
        Instant t = Instant.now();
        return Classification.builder().image(imageId, sensor, t)
                .topK(List.of(new Classification.LabelScore("Bag", 0.9))).model("argus", 1).build();
    }

    private static DriftEvent event(String sensor, DriftEvent.State state, String imageId) {
        return new DriftEvent(DriftEvent.SCHEMA_VERSION, sensor, state, 0.9, 0.3, 0.9, null, "class", 200, 0.25, 0.10, "argus", 1,
                imageId, "drifted", Instant.now());
    }
}
