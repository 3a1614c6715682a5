package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.argus.common.engine.ImageClassifier;
import io.argus.common.image.InputSpec;
import io.argus.common.model.ModelId;

/** A failed forward pass costs only the images the model fails on alone, never the whole batch. */
class ModelPassTest {

    private static final int SIZE = 4;
    /** An image whose first value is this is one the fake model cannot take. */
    private static final float POISON = -1f;

    @Test
    void anImageTheModelCannotTakeFailsAloneAndEveryOtherImageGetsItsOwnAnswer() {
        FakeModel model = new FakeModel(0);
        float[] batch = images(0.1f, 0.2f, POISON, 0.4f);

        ModelPass.Result result = ModelPass.run(model, batch, 4, SIZE, false);

        assertThat(result.failed(2)).isTrue();
        assertThat(result.errors()[2]).contains("cannot take");
        for (int k : new int[] {0, 1, 3}) {
            assertThat(result.failed(k)).as("image %d", k).isFalse();
            assertThat(result.probabilities()[k]).as("image %d", k).containsExactly(batch[k * SIZE], 1 - batch[k * SIZE]);
        }
    }

    @Test
    void aFailureOfThePassAloneCostsNoImage() {
        FakeModel model = new FakeModel(1);

        ModelPass.Result result = ModelPass.run(model, images(0.1f, 0.2f, 0.3f), 3, SIZE, false);

        assertThat(result.errors()).containsOnlyNulls();
        assertThat(result.probabilities()[1]).containsExactly(0.2f, 1 - 0.2f);
        assertThat(model.calls.get()).as("the batch, then each image").isEqualTo(4);
    }

    @Test
    void aBatchThePassTakesIsRunOnce() {
        FakeModel model = new FakeModel(0);

        ModelPass.Result result = ModelPass.run(model, images(0.1f, 0.2f), 2, SIZE, false);

        assertThat(result.errors()).containsOnlyNulls();
        assertThat(result.probabilities()[0]).containsExactly(0.1f, 1 - 0.1f);
        assertThat(model.calls.get()).isEqualTo(1);
    }

    /** Images of SIZE values, the first of each as given. */
    private static float[] images(float... firsts) {
        float[] batch = new float[firsts.length * SIZE + SIZE]; // a reused buffer is longer than the batch
        for (int k = 0; k < firsts.length; k++) {
            batch[k * SIZE] = firsts[k];
        }
        return batch;
    }

    /** Answers (x, 1 - x) for an image whose first value is x; fails on a poisoned image, and its first calls. */
    private static final class FakeModel implements ImageClassifier {

        private final int failFirst;
        final AtomicInteger calls = new AtomicInteger();

        FakeModel(int failFirst) {
            this.failFirst = failFirst;
        }

        @Override
        public float[][] classify(float[] input, int count) {
            if (calls.incrementAndGet() <= failFirst) {
                throw new IllegalStateException("the device is busy");
            }
            float[][] out = new float[count][];
            for (int k = 0; k < count; k++) {
                if (input[k * SIZE] == POISON) {
                    throw new IllegalArgumentException("the model cannot take image " + k);
                }
                out[k] = new float[] {input[k * SIZE], 1 - input[k * SIZE]};
            }
            return out;
        }

        @Override
        public ModelId id() {
            return new ModelId("fake", 1);
        }

        @Override
        public InputSpec inputSpec() {
            return null;
        }

        @Override
        public String engine() {
            return "fake";
        }

        @Override
        public List<String> labels() {
            return List.of("a", "b");
        }

        @Override
        public void close() {
        }
    }
}
