package io.argus.common.image;

import java.util.Arrays;

/**
 * How one sensor's images are brought back to what the model knows, applied to a prepared input
 * (after {@link ImagePreprocessor}, before the model), per channel:
 * <ol>
 *   <li>an {@code orientation}: one of the eight flips and quarter turns of the image plane
 *       (0 = as taken; see {@link #orient}), for a camera mounted turned or mirrored;</li>
 *   <li>an intensity {@code curve}: a piecewise-linear map of the pixel intensity in 0..1, given by
 *       its values at equally spaced knots (identity: 0, 1/(k-1), ..., 1), for inverted contrast,
 *       gamma, gain and offset;</li>
 *   <li>a 3x3 {@code kernel} (optional), for a sensor that blurs or adds noise.</li>
 * </ol>
 * Only images of the sensor it belongs to go through it, so other sensors are untouched by
 * construction. It is part of the model version (the bundle's manifest): training and serving
 * apply the same one.
 *
 * @param curve  intensity at each knot, at least two knots
 * @param kernel nine weights row by row, or null for none
 */
public record SensorCalibration(int orientation, float[] curve, float[] kernel) {

    public SensorCalibration {
        if (orientation < 0 || orientation > 7) {
            throw new IllegalArgumentException("orientation must be 0-7, not " + orientation);
        }
        if (curve == null || curve.length < 2) {
            throw new IllegalArgumentException("the intensity curve needs at least two knots");
        }
        if (kernel != null && kernel.length != 9) {
            throw new IllegalArgumentException("the kernel has 9 weights, not " + kernel.length);
        }
        curve = curve.clone();
        kernel = kernel == null ? null : kernel.clone();
    }

    public static final SensorCalibration IDENTITY = new SensorCalibration(0, new float[] {0f, 1f}, null);

    /** An identity curve of {@code knots} knots. */
    public static float[] identityCurve(int knots) {
        float[] c = new float[knots];
        for (int k = 0; k < knots; k++) {
            c[k] = (float) k / (knots - 1);
        }
        return c;
    }

    /** Whether this changes nothing. */
    public boolean isIdentity() {
        if (orientation != 0 || kernel != null) {
            return false;
        }
        float[] id = identityCurve(curve.length);
        for (int k = 0; k < curve.length; k++) {
            if (Math.abs(curve[k] - id[k]) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    /** Calibrates one prepared image in place at {@code x[offset ..]}. */
    public void apply(float[] x, int offset, InputSpec spec) {
        int w = spec.width();
        int h = spec.height();
        int plane = w * h;
        float[] a = new float[plane];
        float[] b = new float[plane];
        for (int c = 0; c < spec.channels(); c++) {
            int base = offset + c * plane;
            System.arraycopy(x, base, a, 0, plane);
            orient(a, b, w, h, orientation);
            float mean = spec.mean().get(c).floatValue();
            float std = spec.std().get(c).floatValue();
            for (int i = 0; i < plane; i++) {
                b[i] = (curve(b[i] * std + mean) - mean) / std;
            }
            if (kernel != null) {
                convolve(b, a, w, h, kernel);
                System.arraycopy(a, 0, x, base, plane);
            } else {
                System.arraycopy(b, 0, x, base, plane);
            }
        }
    }

    /** The curve at intensity {@code u} (clamped to 0..1). */
    public float curve(float u) {
        int n = curve.length - 1;
        float t = Math.min(1f, Math.max(0f, u)) * n;
        int k = Math.min(n - 1, (int) t);
        float f = t - k;
        return curve[k] * (1 - f) + curve[k + 1] * f;
    }

    /**
     * One of the eight symmetries of a {@code w x h} plane, {@code from} into {@code to}: bit 0 mirrors
     * left-right, bit 1 mirrors top-bottom, bit 2 transposes (a quarter turn with a mirror; only for
     * square planes, otherwise ignored).
     */
    public static void orient(float[] from, float[] to, int w, int h, int orientation) {
        boolean transpose = (orientation & 4) != 0 && w == h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = (orientation & 1) != 0 ? w - 1 - x : x;
                int sy = (orientation & 2) != 0 ? h - 1 - y : y;
                to[y * w + x] = transpose ? from[sx * w + sy] : from[sy * w + sx];
            }
        }
    }

    /** A 3x3 convolution with the border repeated, {@code from} into {@code to}. */
    public static void convolve(float[] from, float[] to, int w, int h, float[] k) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        s += k[(dy + 1) * 3 + dx + 1] * from[yy * w + xx];
                    }
                }
                to[y * w + x] = s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorCalibration c && c.orientation == orientation && Arrays.equals(c.curve, curve)
                && Arrays.equals(c.kernel, kernel);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * orientation + Arrays.hashCode(curve)) + Arrays.hashCode(kernel);
    }

    @Override
    public String toString() {
        return "SensorCalibration[orientation=" + orientation + ", curve=" + Arrays.toString(curve) + ", kernel="
                + Arrays.toString(kernel) + "]";
    }
}
