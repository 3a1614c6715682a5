package io.argus.learning.pruning;

import java.util.Locale;

/**
 * How far to prune after training.
 *
 * @param target         the fraction of the measure to remove, in (0, 1): 0.5 stops once at least
 *                       half of the parameters (or FLOPs) are gone
 * @param measure        what the target counts
 * @param tolerance      the most validation accuracy a step may cost against the unpruned model, as a
 *                       fraction (0.01 = one point); a step that costs more is undone and pruning stops
 * @param step           the fraction of each unit's remaining filters one step removes at most, in (0, 1)
 * @param recoveryEpochs epochs of fine-tuning after each step (0: none)
 * @param channelMultiple channel counts kept are multiples of this (below it, powers of two), the
 *                       block size of CPU convolution kernels; 1: exactly the fraction asked
 */
public record PruneOptions(double target, Measure measure, double tolerance, double step, int recoveryEpochs,
                           int channelMultiple) {

    /** What the target counts. */
    public enum Measure {
        PARAMS, FLOPS;

        static Measure parse(String s) {
            for (Measure m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("prune measure must be params or flops, not '" + s + "'");
        }
    }

    public static final Measure DEFAULT_MEASURE = Measure.PARAMS;
    public static final double DEFAULT_TOLERANCE = 0.01;
    public static final double DEFAULT_STEP = 0.2;
    public static final int DEFAULT_RECOVERY_EPOCHS = 1;
    /** ONNX Runtime's NCHWc block on AVX-512 CPUs (a multiple of AVX2's 8). */
    public static final int DEFAULT_CHANNEL_MULTIPLE = 16;

    public PruneOptions {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("prune target is the fraction of " + name(measure)
                    + " to remove and must be in (0, 1), not " + target);
        }
        if (measure == null) {
            throw new IllegalArgumentException("prune measure must be params or flops");
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("prune tolerance is the most validation accuracy pruning may cost,"
                    + " a fraction in [0, 1) (0.01 = one point), not " + tolerance);
        }
        if (!(step > 0 && step < 1)) {
            throw new IllegalArgumentException("prune step is the fraction of filters one step removes and must be"
                    + " in (0, 1), not " + step);
        }
        if (recoveryEpochs < 0) {
            throw new IllegalArgumentException("prune recoveryEpochs must be 0 or more, not " + recoveryEpochs);
        }
        if (channelMultiple < 1 || channelMultiple > 256) {
            throw new IllegalArgumentException("prune channelMultiple must be between 1 and 256, not " + channelMultiple);
        }
    }

    /** Options from a request where anything but the target may be left out. */
    public static PruneOptions of(Double target, String measure, Double tolerance, Double step,
                                  Integer recoveryEpochs) {
        return of(target, measure, tolerance, step, recoveryEpochs, null);
    }

    public static PruneOptions of(Double target, String measure, Double tolerance, Double step,
                                  Integer recoveryEpochs, Integer channelMultiple) {
        if (target == null) {
            throw new IllegalArgumentException("prune needs a target: the fraction of parameters to remove, in (0, 1)");
        }
        return new PruneOptions(target, measure == null ? DEFAULT_MEASURE : Measure.parse(measure),
                tolerance == null ? DEFAULT_TOLERANCE : tolerance, step == null ? DEFAULT_STEP : step,
                recoveryEpochs == null ? DEFAULT_RECOVERY_EPOCHS : recoveryEpochs,
                channelMultiple == null ? DEFAULT_CHANNEL_MULTIPLE : channelMultiple);
    }

    private static String name(Measure m) {
        return m == null ? "parameters" : m == Measure.PARAMS ? "parameters" : "FLOPs";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "remove %.0f%% of %s, tolerance %.1f points, step %.0f%%, %d recovery"
                        + " epoch(s), channels in multiples of %d", target * 100, name(measure), tolerance * 100,
                step * 100, recoveryEpochs, channelMultiple);
    }
}
