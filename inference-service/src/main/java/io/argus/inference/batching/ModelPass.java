package io.argus.inference.batching;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.argus.common.engine.Forward;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.OodScorer;

/**
 * The model's forward pass over the decoded images of a batch, with their embeddings (for drift)
 * and out-of-distribution scores when the model has them. A pass that fails is run again image by
 * image: an image the model cannot take fails alone, and a passing failure (native memory, a device
 * error) costs one slow batch, not the batch's images. Before, one error sent every image of the
 * batch to the dead-letter topic as {@code MODEL_ERROR}.
 */
final class ModelPass {

    private static final Logger LOG = Logger.getLogger(ModelPass.class);

    /**
     * Per image {@code k} of the pass: its probabilities, its embedding (null without), its OOD score,
     * or in {@code errors[k]} why the model failed on it.
     *
     * @param embeddings null unless asked for and given by the engine
     * @param ood        null unless the model scores images for being unlike its training data
     */
    record Result(float[][] probabilities, float[][] embeddings, double[] ood, String[] errors) {

        boolean failed(int k) {
            return errors[k] != null;
        }
    }

    private ModelPass() {
    }

    /** Runs the first {@code count} images of {@code batch}, {@code size} floats each. */
    static Result run(ImageClassifier model, float[] batch, int count, int size, boolean embeddings) {
        try {
            return whole(model, batch, count, embeddings);
        } catch (RuntimeException batchFailure) {
            Result alone = oneByOne(model, batch, count, size, embeddings);
            long failed = Arrays.stream(alone.errors()).filter(Objects::nonNull).count();
            LOG.warnf("%s failed on a batch of %d images (%s); run one by one, %d of them failed again",
                    model.id(), count, batchFailure, failed);
            return alone;
        }
    }

    private static Result whole(ImageClassifier model, float[] input, int count, boolean embeddings) {
        Optional<OodScorer> scorer = model.ood();
        if (scorer.isEmpty() && !embeddings) {
            return new Result(model.classify(input, count), null, null, new String[count]);
        }
        // One pass gives both: the embedding is computed on the way to the probabilities.
        Forward forward = model.forward(input, count);
        double[] ood = scorer.isPresent() ? scorer.get().scores(input, forward.embeddings()) : null;
        return new Result(forward.probabilities(), embeddings ? forward.embeddings() : null, ood, new String[count]);
    }

    private static Result oneByOne(ImageClassifier model, float[] batch, int count, int size, boolean embeddings) {
        float[][] probabilities = new float[count][];
        float[][] features = new float[count][];
        double[] ood = model.ood().isPresent() ? new double[count] : null;
        String[] errors = new String[count];
        float[] one = new float[size];
        boolean anyEmbedding = false;
        for (int k = 0; k < count; k++) {
            System.arraycopy(batch, k * size, one, 0, size);
            try {
                Result r = whole(model, one, 1, embeddings);
                probabilities[k] = r.probabilities()[0];
                if (r.embeddings() != null) {
                    features[k] = r.embeddings()[0];
                    anyEmbedding = true;
                }
                if (ood != null) {
                    ood[k] = r.ood()[0];
                }
            } catch (RuntimeException e) {
                errors[k] = e.toString();
            }
        }
        return new Result(probabilities, anyEmbedding ? features : null, ood, errors);
    }
}
