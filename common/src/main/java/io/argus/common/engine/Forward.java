package io.argus.common.engine;

/**
 * What one forward pass gives: each image's class probabilities and, when the model can give it,
 * its penultimate-layer embedding (the features the last layer reads, flattened).
 *
 * @param probabilities one row of class probabilities per image
 * @param embeddings    one row of features per image; null when the model has no embedding
 *                      output (an ONNX graph exported before graphs carried one)
 */
public record Forward(float[][] probabilities, float[][] embeddings) {

    public boolean hasEmbeddings() {
        return embeddings != null;
    }
}
