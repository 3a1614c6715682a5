package io.argus.common.engine;

import java.util.Collection;
import java.util.List;

import io.argus.common.model.OodReference;
import io.argus.common.onnxgraph.OnnxGraph;

/**
 * The pixel components of {@link OodScorer} as an ONNX graph over a whole batch: the projection on
 * the principal components and the reconstruction are two matrix products, which ONNX Runtime's
 * kernels run at several times the speed the JIT reaches image by image (docs/serving.md, "What
 * shadow, drift and OOD scores cost"). Input {@value #INPUT} [batch, size], the images as the
 * network reads them; one output [batch] per component asked for, named by {@link #output}.
 */
final class PixelComponentsGraph {

    static final String INPUT = "input";

    private PixelComponentsGraph() {
    }

    /** The output that holds {@code component}. */
    static String output(String component) {
        return component.replace('-', '_');
    }

    /** A graph computing {@code components} (pixel ones only) of {@code p}. */
    static byte[] of(OodReference.Pixels p, Collection<String> components) {
        OnnxGraph g = new OnnxGraph();
        int size = p.size();
        int k = p.components();
        g.input(INPUT, -1, size);
        String centred = g.node("Sub", "centred", List.of(INPUT, g.weight("mean", p.mean(), size)));
        String projection = g.node("MatMul", "projection",
                List.of(centred, g.weight("basis_by_input", transposed(p.basis(), k, size), size, k)));
        String residualSquares = null;
        if (components.contains(OodScorer.PIXEL_RESIDUAL) || components.contains(OodScorer.PIXEL_DEVIATION)) {
            String reconstruction = g.node("MatMul", "reconstruction", List.of(projection, g.weight("basis", p.basis(), k, size)));
            String residual = g.node("Sub", "residual", List.of(centred, reconstruction));
            residualSquares = g.node("Mul", "residual_squares", List.of(residual, residual));
        }
        for (String c : components) {
            String squares = switch (c) {
                case OodScorer.PIXEL_RESIDUAL -> residualSquares;
                case OodScorer.PIXEL_DEVIATION -> g.node("Mul", "deviation_squares",
                        List.of(residualSquares, g.weight("deviation_weights", reciprocal(p.residualVariances()), size)));
                case OodScorer.PIXEL_MAHALANOBIS -> g.node("Mul", "within_squares", List.of(
                        g.node("Mul", "projection_squares", List.of(projection, projection)),
                        g.weight("within_weights", reciprocal(p.variances()), k)));
                default -> throw new IllegalArgumentException("'" + c + "' is not a pixel component");
            };
            String sum = g.node("ReduceSum", "sum", List.of(squares, g.ints("axes", 1)), OnnxGraph.attrInt("keepdims", 0));
            g.output(g.node("Sqrt", "norm", List.of(sum)), output(c), -1);
        }
        return g.model();
    }

    private static float[] transposed(float[] rows, int rowCount, int columns) {
        float[] t = new float[rows.length];
        for (int r = 0; r < rowCount; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rowCount + r] = rows[r * columns + c];
            }
        }
        return t;
    }

    /** 1 / v, each v at least 1e-12 (a direction the training inputs never varied along). */
    private static float[] reciprocal(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (1.0 / Math.max(v[i], 1e-12));
        }
        return out;
    }
}
