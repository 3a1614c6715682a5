package io.argus.common.image;

/**
 * Resizes 8-bit interleaved pixels with separable filters: area averaging when shrinking (every
 * source pixel counts, no aliasing), bilinear when enlarging. Deterministic pure Java, so training
 * and serving get bit-identical pixels on every machine.
 */
final class Resampler {

    private Resampler() {
    }

    /**
     * Resizes the region {@code (x0, y0, cw, ch)} of {@code src} ({@code w} wide, {@code c}
     * channels) to {@code tw x th}, returning float values 0..255, interleaved.
     */
    static float[] resize(byte[] src, int w, int c, int x0, int y0, int cw, int ch, int tw, int th) {
        Axis ax = Axis.of(x0, cw, tw);
        Axis ay = Axis.of(y0, ch, th);
        // Horizontal pass over the source rows the vertical filter needs.
        float[] rows = new float[ch * tw * c];
        for (int y = 0; y < ch; y++) {
            int srcRow = (y0 + y) * w * c;
            int dstRow = y * tw * c;
            for (int x = 0; x < tw; x++) {
                int start = ax.start[x];
                int taps = ax.taps[x];
                int wo = x * ax.stride;
                for (int k = 0; k < c; k++) {
                    float sum = 0;
                    for (int t = 0; t < taps; t++) {
                        sum += (src[srcRow + (start + t) * c + k] & 0xFF) * ax.weights[wo + t];
                    }
                    rows[dstRow + x * c + k] = sum;
                }
            }
        }
        float[] out = new float[th * tw * c];
        int rowLen = tw * c;
        for (int y = 0; y < th; y++) {
            int start = ay.start[y] - y0;
            int taps = ay.taps[y];
            int wo = y * ay.stride;
            int dst = y * rowLen;
            for (int t = 0; t < taps; t++) {
                float weight = ay.weights[wo + t];
                int from = (start + t) * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    out[dst + i] += rows[from + i] * weight;
                }
            }
        }
        return out;
    }

    /** For each output index along one axis: first source index, tap count and weights. */
    private static final class Axis {
        final int[] start;
        final int[] taps;
        final float[] weights;
        final int stride;

        private Axis(int[] start, int[] taps, float[] weights, int stride) {
            this.start = start;
            this.taps = taps;
            this.weights = weights;
            this.stride = stride;
        }

        static Axis of(int offset, int srcLen, int dstLen) {
            double scale = (double) srcLen / dstLen;
            return scale > 1 ? area(offset, srcLen, dstLen, scale) : bilinear(offset, srcLen, dstLen, scale);
        }

        private static Axis area(int offset, int srcLen, int dstLen, double scale) {
            int stride = (int) Math.ceil(scale) + 1;
            int[] start = new int[dstLen];
            int[] taps = new int[dstLen];
            float[] weights = new float[dstLen * stride];
            for (int d = 0; d < dstLen; d++) {
                double lo = d * scale;
                double hi = Math.min(srcLen, (d + 1) * scale);
                int first = (int) Math.floor(lo);
                int last = Math.min(srcLen - 1, (int) Math.ceil(hi) - 1);
                start[d] = offset + first;
                taps[d] = last - first + 1;
                for (int i = first; i <= last; i++) {
                    double cover = Math.min(hi, i + 1) - Math.max(lo, i);
                    weights[d * stride + i - first] = (float) (cover / scale);
                }
            }
            return new Axis(start, taps, weights, stride);
        }

        private static Axis bilinear(int offset, int srcLen, int dstLen, double scale) {
            int[] start = new int[dstLen];
            int[] taps = new int[dstLen];
            float[] weights = new float[dstLen * 2];
            for (int d = 0; d < dstLen; d++) {
                double centre = Math.max(0, Math.min(srcLen - 1, (d + 0.5) * scale - 0.5));
                int i0 = (int) Math.floor(centre);
                double f = centre - i0;
                start[d] = offset + i0;
                if (i0 + 1 < srcLen && f > 0) {
                    taps[d] = 2;
                    weights[d * 2] = (float) (1 - f);
                    weights[d * 2 + 1] = (float) f;
                } else {
                    taps[d] = 1;
                    weights[d * 2] = 1f;
                }
            }
            return new Axis(start, taps, weights, 2);
        }
    }
}
