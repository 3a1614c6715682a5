package io.argus.common.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.argus.common.model.OodReference;

/**
 * Scores images against a bundle's {@link OodReference}. The components, each high for images
 * unlike the training data:
 * <ul>
 * <li>{@value #MAHALANOBIS}: the distance of the penultimate-layer embedding to the nearest class
 * mean under the shared covariance ({@code features^2 + classes x features} multiply-adds);</li>
 * <li>{@value #ENERGY}: minus the log of the summed exponentials of the logits, computed from the
 * embedding and the last layer's weights ({@code classes x features});</li>
 * <li>{@value #ENERGY_REACT}: the same energy with each embedding unit first clipped at a high
 * percentile of the training images' activations (ReAct, Sun, Guo and Li 2021): an image unlike the
 * training data often drives a few units far beyond their training range, which inflates its logits
 * and so makes its plain energy look ordinary;</li>
 * <li>{@value #PIXEL_RESIDUAL}: how far the network's input lies from the subspace of the
 * training inputs' principal components ({@code components x size}): evidence the embedding
 * throws away, such as a background that is not black;</li>
 * <li>{@value #PIXEL_DEVIATION}: that residual, each input float in units of the training inputs'
 * residual there: a grey or light background, where Fashion-MNIST has black, weighs much;</li>
 * <li>{@value #PIXEL_MAHALANOBIS}: the distance within that subspace, in its standard deviations.</li>
 * </ul>
 * The served score is the largest component on the reference's common scale. Both engines give
 * the same input and (parity-checked) the same embedding, so the same score. The pixel components
 * run in an ONNX Runtime session of their own ({@link PixelScores}), which {@link #close()} ends.
 */
public final class OodScorer implements AutoCloseable {

    public static final String MAHALANOBIS = "mahalanobis";
    public static final String ENERGY = "energy";
    public static final String ENERGY_REACT = "energy-react";
    public static final String PIXEL_RESIDUAL = "pixel-residual";
    public static final String PIXEL_DEVIATION = "pixel-deviation";
    public static final String PIXEL_MAHALANOBIS = "pixel-mahalanobis";
    public static final List<String> COMPONENTS = List.of(MAHALANOBIS, ENERGY, ENERGY_REACT, PIXEL_RESIDUAL, PIXEL_DEVIATION,
            PIXEL_MAHALANOBIS);

    private final OodReference reference;
    /** The pixel components the scales name; null if they name none. */
    private final PixelScores pixelScores;

    public OodScorer(OodReference reference) {
        if (!OodReference.MAX_Z.equals(reference.score())) {
            throw new IllegalArgumentException("unknown out-of-distribution score '" + reference.score() + "'");
        }
        if (reference.scales() == null || reference.scales().isEmpty()) {
            throw new IllegalArgumentException("out-of-distribution statistics without components");
        }
        for (OodReference.Scale s : reference.scales()) {
            if (!available(reference, s.component())) {
                throw new IllegalArgumentException("out-of-distribution component '" + s.component()
                        + "' without its statistics");
            }
        }
        OodReference.Embedding e = reference.embedding();
        if (e != null && e.whitening().length != e.features() * e.features()) {
            throw new IllegalArgumentException("a whitening of " + e.whitening().length + " values for "
                    + e.features() + " features");
        }
        this.reference = reference;
        List<String> pixelComponents = reference.scales().stream().map(OodReference.Scale::component)
                .filter(c -> c.startsWith("pixel")).distinct().toList();
        this.pixelScores = pixelComponents.isEmpty() ? null : new PixelScores(reference.pixels(), pixelComponents);
    }

    /**
     * Whether this version can serve {@code reference}: statistics of another kind (an unknown
     * {@link OodReference#score()}, a component without its statistics) are served without the score.
     */
    public static boolean serves(OodReference reference) {
        return reference != null && OodReference.MAX_Z.equals(reference.score()) && reference.scales() != null
                && !reference.scales().isEmpty()
                && reference.scales().stream().allMatch(s -> available(reference, s.component()));
    }

    /** Whether {@code reference} holds what {@code component} needs. */
    public static boolean available(OodReference reference, String component) {
        return switch (component) {
            case MAHALANOBIS -> reference.embedding() != null;
            case ENERGY -> reference.logits() != null;
            case ENERGY_REACT -> reference.logits() != null && reference.logits().clip() != null;
            case PIXEL_RESIDUAL, PIXEL_MAHALANOBIS -> reference.pixels() != null;
            case PIXEL_DEVIATION -> reference.pixels() != null && reference.pixels().residualVariances() != null;
            default -> false;
        };
    }

    public OodReference reference() {
        return reference;
    }

    /** Combined scores over it are unlike the training data. */
    public double threshold() {
        return reference.threshold();
    }

    /** Whether the components need each image's embedding (else the input alone is scored). */
    public boolean needsEmbeddings() {
        return reference.scales().stream().anyMatch(s -> !s.component().startsWith("pixel"));
    }

    /**
     * One combined score per image: the largest scaled component.
     *
     * @param inputs     the images as the network read them, one after another
     * @param embeddings their penultimate-layer embeddings, one row per image
     */
    public double[] scores(float[] inputs, float[][] embeddings) {
        int n = embeddings.length;
        double[] out = new double[n];
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        // All pixel components of the batch in one run.
        Map<String, double[]> pixel = pixelScores == null ? Map.of() : pixelScores.scores(inputs, n);
        for (OodReference.Scale s : reference.scales()) {
            double[] raw = s.component().startsWith("pixel") ? pixel.get(s.component())
                    : embeddingScores(reference, s.component(), embeddings);
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(out[i], s.apply(raw[i]));
            }
        }
        return out;
    }

    /**
     * One component's raw score per image (see the class comment), for fitting and reports: a pixel
     * component opens and closes a session of its own.
     */
    public static double[] raw(OodReference reference, String component, float[] inputs, float[][] embeddings) {
        if (component.startsWith("pixel")) {
            try (PixelScores pixels = new PixelScores(reference.pixels(), List.of(component))) {
                return pixels.scores(inputs, embeddings.length).get(component);
            }
        }
        return embeddingScores(reference, component, embeddings);
    }

    @Override
    public void close() {
        if (pixelScores != null) {
            pixelScores.close();
        }
    }

    private static double[] embeddingScores(OodReference reference, String component, float[][] embeddings) {
        int n = embeddings.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (component) {
                case MAHALANOBIS -> mahalanobis(reference.embedding(), embeddings[i]);
                case ENERGY -> energy(reference.logits(), embeddings[i], Double.POSITIVE_INFINITY);
                case ENERGY_REACT -> energy(reference.logits(), embeddings[i], reference.logits().clip());
                default -> throw new IllegalArgumentException("unknown component '" + component + "'");
            };
        }
        return out;
    }

    static double mahalanobis(OodReference.Embedding ref, float[] embedding) {
        int d = ref.features();
        if (embedding.length != d) {
            throw new IllegalArgumentException("an embedding of " + embedding.length + " features; the model's has " + d);
        }
        float[] w = ref.whitening();
        double[] z = new double[d];
        for (int r = 0; r < d; r++) {
            double s = 0;
            int row = r * d;
            for (int c = 0; c <= r; c++) { // lower triangular
                s += w[row + c] * embedding[c];
            }
            z[r] = s;
        }
        double best = Double.POSITIVE_INFINITY;
        for (float[] m : ref.means()) {
            if (m == null) {
                continue;
            }
            double s = 0;
            for (int k = 0; k < d; k++) {
                double diff = z[k] - m[k];
                s += diff * diff;
            }
            best = Math.min(best, s);
        }
        return Math.sqrt(best);
    }

    /** Minus the log-sum-exp of the logits of {@code embedding}, each unit first clipped to at most {@code clip}. */
    static double energy(OodReference.Logits ref, float[] embedding, double clip) {
        int d = ref.features();
        if (embedding.length != d) {
            throw new IllegalArgumentException("an embedding of " + embedding.length + " features; the model's has " + d);
        }
        double[] logits = new double[ref.classes()];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            double z = ref.bias()[c];
            int row = c * d;
            for (int k = 0; k < d; k++) {
                z += ref.weights()[row + k] * Math.min(embedding[k], clip);
            }
            logits[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        return -(max + Math.log(sum));
    }
}
