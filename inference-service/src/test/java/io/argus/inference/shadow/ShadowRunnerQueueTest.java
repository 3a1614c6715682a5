package io.argus.inference.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A candidate that falls behind costs the champion nothing: the stream's hand-over never waits, and
 * what does not fit in the queue is not shadowed, counted.
 */
class ShadowRunnerQueueTest {

    @Test
    @Timeout(5)
    void batchesThatFindTheQueueFullAreDroppedAndCountedAndTheHandOverNeverBlocks() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShadowConfig config = new ShadowConfig() {
            @Override
            public double share() {
                return 1.0;
            }

            @Override
            public int queueBatches() {
                return 2;
            }

            @Override
            public int sensorTagLimit() {
                return 10;
            }
        };
        // Its thread is not started: a candidate stuck on its first batch, as far as the stream can tell.
        ShadowRunner runner = new ShadowRunner(config, new ShadowCandidate(meters), new ShadowMetrics(config, meters),
                null, KafkaClients.bootstrap("127.0.0.1:1"), Topics.SHADOW);

        for (int batch = 0; batch < 5; batch++) {
            runner.committed(images(3));
        }

        assertThat(meters.get("argus.shadow.dropped").counter().count()).as("3 batches of 3 images past the 2 queued")
                .isEqualTo(9.0);
    }

    /** Images whose content does not matter here: they are never classified. */
    private static List<ShadowImage> images(int count) {
        return Collections.nCopies(count, new ShadowImage(null, new float[1], null, null));
    }
}
