package io.argus.learning.gate;

/**
 * Confidence intervals of proportions, shared by the gate (a new class's accuracy) and the
 * trainer's live accuracy and rollback decision, so that both say "95%" about the same thing.
 */
public final class Intervals {

    /** z of a two-sided 95% interval. */
    public static final double Z95 = 1.96;

    private Intervals() {
    }

    /** The 95% Wilson score interval of {@code successes} in {@code n}; {@code [0, 1]} when n is 0. */
    public static double[] wilson(long successes, int n) {
        return wilson(successes, n, Z95);
    }

    /**
     * The Wilson score interval at {@code z}. Wilson rather than the normal approximation because
     * it stays inside [0, 1] and keeps its coverage near 0 and 1 and for small n, where a model's
     * accuracy on a few dozen labels often is.
     */
    public static double[] wilson(long successes, int n, double z) {
        if (n <= 0) {
            return new double[] {0, 1};
        }
        double p = (double) successes / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /**
     * The interval of the difference of two independent proportions, {@code a - b}, by Newcombe's
     * hybrid score method (his method 10): built from each proportion's Wilson interval at
     * {@code z}, so it has the same good behaviour for small n and proportions near 0 or 1.
     */
    public static double[] difference(long successesA, int nA, long successesB, int nB, double z) {
        double pa = (double) successesA / nA;
        double pb = (double) successesB / nB;
        double[] a = wilson(successesA, nA, z);
        double[] b = wilson(successesB, nB, z);
        double d = pa - pb;
        double lower = d - Math.sqrt((pa - a[0]) * (pa - a[0]) + (b[1] - pb) * (b[1] - pb));
        double upper = d + Math.sqrt((a[1] - pa) * (a[1] - pa) + (pb - b[0]) * (pb - b[0]));
        return new double[] {lower, upper};
    }

    /**
     * The interval of the difference of two proportions measured on the same items, {@code a - b},
     * by Newcombe's method 10 for paired data (Statistics in Medicine 17, 1998, 2635-2650): the two
     * Wilson intervals at {@code z}, combined with the correlation of the pairs. Paired, because two
     * models answering the same labeled images share the images' difficulty; treating them as
     * independent would make the interval wider than the evidence.
     *
     * @param both   items both got right
     * @param onlyA  items only {@code a} got right
     * @param onlyB  items only {@code b} got right
     * @param neither items neither got right
     */
    public static double[] pairedDifference(long both, long onlyA, long onlyB, long neither, double z) {
        long n = both + onlyA + onlyB + neither;
        if (n <= 0) {
            return new double[] {-1, 1};
        }
        double pa = (double) (both + onlyA) / n;
        double pb = (double) (both + onlyB) / n;
        double[] a = wilson(both + onlyA, (int) n, z);
        double[] b = wilson(both + onlyB, (int) n, z);
        double margins = (double) (both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither);
        double phi = margins == 0 ? 0 : ((double) both * neither - (double) onlyA * onlyB) / Math.sqrt(margins);
        double d = pa - pb;
        double dl = pa - a[0];
        double du = b[1] - pb;
        double ul = a[1] - pa;
        double uu = pb - b[0];
        double lower = d - Math.sqrt(Math.max(0, dl * dl - 2 * phi * dl * du + du * du));
        double upper = d + Math.sqrt(Math.max(0, ul * ul - 2 * phi * ul * uu + uu * uu));
        return new double[] {Math.max(-1, lower), Math.min(1, upper)};
    }
}
