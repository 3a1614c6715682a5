package io.argus.learning.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;

/**
 * Finds how to bring one sensor's images back to what a trained network knows, with the network
 * left as it is: the {@link SensorCalibration} (orientation, intensity curve, 3x3 kernel) under
 * which the frozen network best classifies the sensor's labeled images. Because only that sensor's
 * images pass through its calibration, every other sensor keeps exactly the predictions it had.
 *
 * <p>How: several starting points (the calibration the sensor has now, identity, inverted
 * intensities, and the intensity maps that match the sensor's pixel distribution to the base
 * data's, rising and falling), each in every orientation, are scored by the network's loss on the
 * sensor's training labels. The best is refined in two stages, the curve alone and then the curve
 * with a 3x3 kernel, by Adam on finite-difference gradients of the training loss plus a pull back
 * towards the starting point (a calibration has a few dozen numbers, so each step costs a few dozen
 * forward passes, and the network is only ever run as it serves: no training-mode batch
 * statistics). Each stage stops when the loss on the sensor's validation labels stops falling. Of
 * the starting point and the two stages, the one with the lowest validation loss wins (the simpler
 * on a tie): with a few dozen labels a refinement easily fits the training labels better and the
 * sensor worse. It is kept only if it beats the sensor's current calibration on the validation
 * labels (on the training labels when there are none).
 */
public final class CalibrationFitter {

    /**
     * @param knots        knots of the intensity curve
     * @param kernel       whether a 3x3 kernel is tried too (blur, noise)
     * @param maxSteps     most refinement steps per stage
     * @param learningRate Adam's step size on the curve (intensities 0..1) and kernel weights
     * @param pull         weight of the squared distance from the starting point in the training loss
     * @param patience     steps without a better validation loss before a stage stops
     * @param batch        most training images per step (a random subset when there are more)
     */
    public record Settings(int knots, boolean kernel, int maxSteps, double learningRate, double pull, int patience,
                           int batch, long seed) {

        public static final Settings DEFAULTS = new Settings(9, true, 60, 0.01, 0.5, 12, 64, 11);
    }

    /** What fitting found, and how the sensor's labels were classified before and after. */
    public record Result(SensorCalibration calibration, boolean changed, String start, int steps, double seconds,
                         Score trainBefore, Score trainAfter, Score validationBefore, Score validationAfter) {

        public String describe() {
            return String.format(Locale.ROOT, "%s from %s in %d steps (%.1f s): train accuracy %.3f -> %.3f%s",
                    changed ? "calibrated" : "left as it was", start, steps, seconds, trainBefore.accuracy(),
                    trainAfter.accuracy(), validationBefore.count() == 0 ? ""
                            : String.format(Locale.ROOT, ", validation %.3f -> %.3f", validationBefore.accuracy(),
                            validationAfter.accuracy()));
        }
    }

    /** Mean cross-entropy and accuracy on some images. */
    public record Score(double loss, double accuracy, int count) {
    }

    private final Settings settings;
    private final Progress progress;

    public CalibrationFitter(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param net        the network as it serves, frozen
     * @param train      the sensor's training images (prepared, not calibrated) and labels
     * @param validation the sensor's validation images and labels (may be empty)
     * @param reference  the intensity histogram of the data the network was trained on
     * @param current    the sensor's calibration now (identity if it has none)
     */
    public Result fit(Forward net, TrainingSet train, TrainingSet validation, IntensityHistogram reference,
                      SensorCalibration current) {
        long start = System.nanoTime();
        InputSpec spec = train.spec();
        Score trainBefore = score(net, train, current);
        Score validationBefore = score(net, validation, current);

        IntensityHistogram sensor = IntensityHistogram.of(train).plus(IntensityHistogram.of(validation));
        List<Start> starts = new ArrayList<>();
        starts.add(new Start("its calibration now", current.curve(), current.orientation(), current.kernel()));
        float[] identity = SensorCalibration.identityCurve(settings.knots());
        float[] inverted = new float[settings.knots()];
        for (int k = 0; k < inverted.length; k++) {
            inverted[k] = 1 - identity[k];
        }
        int orientations = spec.width() == spec.height() ? 8 : 4;
        for (int o = 0; o < orientations; o++) {
            starts.add(new Start("identity", identity, o, null));
            starts.add(new Start("inverted intensities", inverted, o, null));
            starts.add(new Start("matched to the base data", sensor.matchTo(reference, settings.knots(), false), o,
                    null));
            starts.add(new Start("matched to the base data, inverted",
                    sensor.matchTo(reference, settings.knots(), true), o, null));
        }
        Start best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (Start s : starts) {
            double loss = score(net, train, s.calibration()).loss();
            if (loss < bestLoss) {
                bestLoss = loss;
                best = s;
            }
        }
        SensorCalibration startCalibration = best.calibration();
        Refined curve = refine(net, train, validation, best, false);
        Refined kernel = settings.kernel() ? refine(net, train, validation, new Start(best.name(),
                curve.calibration().curve(), best.orientation(), null), true) : curve;
        TrainingSet judge = validation.count() > 0 ? validation : train;
        SensorCalibration fitted = startCalibration;
        double fittedLoss = score(net, judge, startCalibration).loss();
        int steps = 0;
        for (Refined r : List.of(curve, kernel)) {
            steps += r.steps();
            double loss = score(net, judge, r.calibration()).loss();
            // A refinement must earn its place: a little better is noise on a few labels.
            if (loss < fittedLoss * 0.98) {
                fitted = r.calibration();
                fittedLoss = loss;
            }
        }
        Refined refined = new Refined(fitted, steps);
        Score trainAfter = score(net, train, fitted);
        Score validationAfter = score(net, validation, fitted);
        boolean better = validation.count() > 0
                ? validationAfter.loss() < validationBefore.loss() && validationAfter.accuracy() >= validationBefore.accuracy()
                : trainAfter.loss() < trainBefore.loss();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!better) {
            return new Result(current, false, best.name(), refined.steps(), seconds, trainBefore, trainBefore,
                    validationBefore, validationBefore);
        }
        return new Result(fitted, !fitted.equals(current), best.name() + orientationName(best.orientation()),
                refined.steps(), seconds, trainBefore, trainAfter, validationBefore, validationAfter);
    }

    private record Start(String name, float[] curve, int orientation, float[] kernel) {

        SensorCalibration calibration() {
            return new SensorCalibration(orientation, curve, kernel);
        }
    }

    private record Refined(SensorCalibration calibration, int steps) {
    }

    /** Adam on the curve (and kernel) by central differences, early-stopped on the validation loss. */
    private Refined refine(Forward net, TrainingSet train, TrainingSet validation, Start start, boolean withKernel) {
        int k = start.curve().length;
        float[] theta = new float[k + (withKernel ? 9 : 0)];
        System.arraycopy(start.curve(), 0, theta, 0, k);
        if (withKernel) {
            float[] kernel = start.kernel() != null ? start.kernel() : new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0};
            System.arraycopy(kernel, 0, theta, k, 9);
        }
        TrainingSet watch = validation.count() > 0 ? validation : train;
        float[] origin = theta.clone();
        float[] best = theta.clone();
        double bestLoss = score(net, watch, calibration(theta, k, start.orientation(), withKernel)).loss();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        Random random = new Random(settings.seed());
        double h = 1e-2;
        int since = 0;
        int step = 0;
        while (step < settings.maxSteps() && since < settings.patience()) {
            step++;
            TrainingSet batch = batch(train, random);
            double[] grad = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                float saved = theta[i];
                theta[i] = (float) (saved + h);
                double up = score(net, batch, calibration(theta, k, start.orientation(), withKernel)).loss();
                theta[i] = (float) (saved - h);
                double down = score(net, batch, calibration(theta, k, start.orientation(), withKernel)).loss();
                theta[i] = saved;
                grad[i] = (up - down) / (2 * h) + 2 * settings.pull() * (saved - origin[i]);
            }
            double lr = settings.learningRate();
            for (int i = 0; i < theta.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * grad[i];
                v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
                double mh = m[i] / (1 - Math.pow(0.9, step));
                double vh = v[i] / (1 - Math.pow(0.999, step));
                theta[i] -= (float) (lr * mh / (Math.sqrt(vh) + 1e-8));
            }
            for (int i = 0; i < k; i++) {
                // Intensities stay in a range the preprocessing's normalisation was made for.
                theta[i] = Math.max(-0.25f, Math.min(1.25f, theta[i]));
            }
            double loss = score(net, watch, calibration(theta, k, start.orientation(), withKernel)).loss();
            if (loss < bestLoss - 1e-5) {
                bestLoss = loss;
                best = theta.clone();
                since = 0;
            } else {
                since++;
            }
            if (step % 10 == 0) {
                progress.report(String.format(Locale.ROOT, "  calibration (%s) step %d: %s loss %.4f (best %.4f)",
                        withKernel ? "curve and kernel" : "curve", step,
                        validation.count() > 0 ? "validation" : "training", loss, bestLoss));
            }
        }
        return new Refined(calibration(best, k, start.orientation(), withKernel), step);
    }

    private TrainingSet batch(TrainingSet train, Random random) {
        if (train.count() <= settings.batch()) {
            return train;
        }
        List<Integer> pick = new ArrayList<>();
        for (int i = 0; i < train.count(); i++) {
            pick.add(i);
        }
        Collections.shuffle(pick, random);
        return train.subset(pick.subList(0, settings.batch()));
    }

    /** The calibration {@code theta} describes; a kernel that stays the identity is left out. */
    private static SensorCalibration calibration(float[] theta, int k, int orientation, boolean withKernel) {
        float[] curve = Arrays.copyOf(theta, k);
        float[] kernel = null;
        if (withKernel) {
            kernel = Arrays.copyOfRange(theta, k, k + 9);
            boolean identity = true;
            for (int i = 0; i < 9; i++) {
                identity &= Math.abs(kernel[i] - (i == 4 ? 1 : 0)) < 1e-4;
            }
            if (identity) {
                kernel = null;
            }
        }
        return new SensorCalibration(orientation, curve, kernel);
    }

    /** The network's loss and accuracy on {@code set} with every image calibrated. */
    static Score score(Forward net, TrainingSet set, SensorCalibration calibration) {
        int n = set.count();
        if (n == 0) {
            return new Score(0, 0, 0);
        }
        int size = set.spec().size();
        float[] x = set.inputs().clone();
        if (!calibration.isIdentity()) {
            for (int i = 0; i < n; i++) {
                calibration.apply(x, i * size, set.spec());
            }
        }
        float[][] p = net.probabilities(x, n);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = set.classes()[i];
            loss -= Math.log(Math.max(1e-7, p[i][y]));
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            correct += best == y ? 1 : 0;
        }
        return new Score(loss / n, (double) correct / n, n);
    }

    private static String orientationName(int orientation) {
        return orientation == 0 ? "" : " (orientation " + orientation + ")";
    }
}
