package io.argus.learning.calibration;

import io.argus.common.image.InputSpec;
import io.argus.learning.training.TrainingSet;

/**
 * How often each pixel intensity (0..1, in 256 bins) occurs in some prepared images: what a
 * sensor's images look like, and what the base data looked like, to match one to the other.
 */
public final class IntensityHistogram {

    private static final int BINS = 256;
    private final long[] counts;

    private IntensityHistogram(long[] counts) {
        this.counts = counts;
    }

    public static IntensityHistogram of(TrainingSet set) {
        long[] c = new long[BINS];
        InputSpec spec = set.spec();
        int plane = spec.width() * spec.height();
        int size = spec.size();
        float[] x = set.inputs();
        for (int i = 0; i < set.count(); i++) {
            for (int ch = 0; ch < spec.channels(); ch++) {
                float mean = spec.mean().get(ch).floatValue();
                float std = spec.std().get(ch).floatValue();
                int base = i * size + ch * plane;
                for (int p = 0; p < plane; p++) {
                    float u = x[base + p] * std + mean;
                    c[Math.min(BINS - 1, Math.max(0, Math.round(u * (BINS - 1))))]++;
                }
            }
        }
        return new IntensityHistogram(c);
    }

    public IntensityHistogram plus(IntensityHistogram other) {
        long[] c = counts.clone();
        for (int i = 0; i < BINS; i++) {
            c[i] += other.counts[i];
        }
        return new IntensityHistogram(c);
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /**
     * The intensity curve, at {@code knots} equally spaced knots, that maps this distribution onto
     * {@code target}'s (histogram matching): each intensity goes to the target intensity of the same
     * quantile, or, {@code inverted}, of the opposite quantile.
     */
    public float[] matchTo(IntensityHistogram target, int knots, boolean inverted) {
        float[] curve = new float[knots];
        long total = total();
        if (total == 0 || target.total() == 0) {
            for (int k = 0; k < knots; k++) {
                curve[k] = inverted ? 1 - (float) k / (knots - 1) : (float) k / (knots - 1);
            }
            return curve;
        }
        for (int k = 0; k < knots; k++) {
            int bin = Math.round((float) k / (knots - 1) * (BINS - 1));
            // The quantile at the middle of the bin, so that a big spike (a flat background) maps to
            // the middle of the target's mass rather than to one of its ends.
            long below = 0;
            for (int b = 0; b < bin; b++) {
                below += counts[b];
            }
            double q = (below + counts[bin] / 2.0) / total;
            curve[k] = target.quantile(inverted ? 1 - q : q);
        }
        return curve;
    }

    /** The intensity below which a share {@code q} of the pixels lie. */
    float quantile(double q) {
        long total = total();
        double want = q * total;
        long seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += counts[b];
            if (seen >= want) {
                return (float) b / (BINS - 1);
            }
        }
        return 1f;
    }
}
