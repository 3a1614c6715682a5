package io.argus.learning.heads;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;
import io.argus.learning.transfer.Architecture;
import io.argus.learning.transfer.Transfer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;

/**
 * Teaches a trained network new classes without touching what it computes for the classes it
 * knows: the output layer gets a column per new class, and only those columns are trained, on the
 * features the network already computes (the activations entering its output layer). The old
 * classes' scores stay exactly what they were; an old image can change its answer only if a new
 * class outscores its old one, which the training discourages by showing the old data (replay) as
 * examples of "not the new class". Classes are weighted equally, however many labels each has.
 * Last, each new class's bias is lowered until it outscores the old classes on at most one in
 * five hundred of the old classes' training and validation images: a new class may cost the old
 * ones an answer only where an image looks more like it than almost anything it was shown. (Not
 * one in none: a single odd old image would then push the new class below its own images.)
 */
public final class HeadExtension {

    /**
     * @param maxEpochs    most full passes (each one gradient step on all samples)
     * @param learningRate Adam's step size
     * @param l2           weight decay on the new columns
     * @param patience     passes without a better validation loss before stopping
     */
    public record Settings(int maxEpochs, double learningRate, double l2, int patience, long seed) {

        public static final Settings DEFAULTS = new Settings(400, 0.05, 1e-3, 40, 13);
    }

    /** The extended network and how training went. */
    public record Result(Model network, int epochs, double seconds, double trainAccuracyNew,
                         double validationAccuracyNew) {

        public String describe() {
            return String.format(Locale.ROOT, "new classes' head trained %d passes (%.1f s): accuracy on them %.3f "
                    + "train, %.3f validation", epochs, seconds, trainAccuracyNew, validationAccuracyNew);
        }
    }

    private final Settings settings;
    private final Progress progress;

    public HeadExtension(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Whether a network can be extended this way: a sequential network ending in a dense output layer. */
    public static boolean supports(Model net) {
        if (!(net instanceof MultiLayerNetwork mln)) {
            return false;
        }
        return mln.getOutputLayer().getParam("W") != null && mln.getOutputLayer().getParam("W").rank() == 2;
    }

    /**
     * @param known the network's classes, in its order; {@code train.labels()} starts with them
     * @param train samples of all classes (the new ones and old ones to learn what the new ones are not),
     *              already calibrated per sensor
     */
    public Result extend(MultiLayerNetwork net, Architecture arch, List<String> known, TrainingSet train,
                         TrainingSet validation) {
        long start = System.nanoTime();
        List<String> all = train.labels();
        int kOld = known.size();
        int k = all.size();
        if (!all.subList(0, kOld).equals(known)) {
            throw new IllegalArgumentException("the new label list must start with the network's " + known);
        }
        float[][] f = features(net, train);
        float[][] fv = features(net, validation);
        INDArray wOld = net.getOutputLayer().getParam("W");
        INDArray bOld = net.getOutputLayer().getParam("b");
        int d = (int) wOld.size(0);
        float[][] w = new float[d][k];
        float[] b = new float[k];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < kOld; c++) {
                w[i][c] = wOld.getFloat(i, c);
            }
        }
        for (int c = 0; c < kOld; c++) {
            b[c] = bOld.getFloat(c);
        }
        Random random = new Random(settings.seed());
        for (int i = 0; i < d; i++) {
            for (int c = kOld; c < k; c++) {
                w[i][c] = (float) (random.nextGaussian() * 0.01);
            }
        }
        double[] weight = classWeights(train);
        Adam adam = new Adam(d * (k - kOld) + (k - kOld), settings.learningRate());
        float[][] bestW = copy(w);
        float[] bestB = b.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int since = 0;
        int epoch = 0;
        while (epoch < settings.maxEpochs() && since < settings.patience()) {
            epoch++;
            double[] grad = new double[d * (k - kOld) + (k - kOld)];
            double[] logits = new double[k];
            for (int n = 0; n < f.length; n++) {
                double[] p = softmax(f[n], w, b, logits);
                int y = train.classes()[n];
                for (int c = kOld; c < k; c++) {
                    double g = weight[n] * (p[c] - (y == c ? 1 : 0));
                    for (int i = 0; i < d; i++) {
                        grad[(c - kOld) * d + i] += g * f[n][i];
                    }
                    grad[d * (k - kOld) + c - kOld] += g;
                }
            }
            for (int c = kOld; c < k; c++) {
                for (int i = 0; i < d; i++) {
                    grad[(c - kOld) * d + i] += settings.l2() * w[i][c];
                }
            }
            double[] step = adam.step(grad);
            for (int c = kOld; c < k; c++) {
                for (int i = 0; i < d; i++) {
                    w[i][c] -= (float) step[(c - kOld) * d + i];
                }
                b[c] -= (float) step[d * (k - kOld) + c - kOld];
            }
            TrainingSet watch = validation.count() > 0 ? validation : train;
            double loss = loss(validation.count() > 0 ? fv : f, watch, w, b, classWeights(watch));
            if (loss < bestLoss - 1e-6) {
                bestLoss = loss;
                bestW = copy(w);
                bestB = b.clone();
                since = 0;
            } else {
                since++;
            }
            if (epoch % 100 == 0) {
                progress.report(String.format(Locale.ROOT, "  new classes' head pass %d: loss %.4f", epoch, loss));
            }
        }
        protectOldClasses(kOld, bestW, bestB, f, train, fv, validation);
        MultiLayerNetwork extended = (MultiLayerNetwork) Transfer.adapt(net, arch, kOld, k, kOld, null, 1e-3,
                settings.seed());
        INDArray wNew = extended.getOutputLayer().getParam("W");
        INDArray bNew = extended.getOutputLayer().getParam("b");
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < k; c++) {
                wNew.putScalar(new long[] {i, c}, c < kOld ? wOld.getFloat(i, c) : bestW[i][c]);
            }
        }
        for (int c = 0; c < k; c++) {
            // The bias is a vector ([nOut] or [1, nOut]): index it linearly.
            bNew.putScalar(c, c < kOld ? bOld.getFloat(c) : bestB[c]);
        }
        return new Result(extended, epoch, (System.nanoTime() - start) / 1e9, accuracyOnNew(f, train, bestW, bestB, kOld),
                accuracyOnNew(fv, validation, bestW, bestB, kOld));
    }

    /** Lowers each new class's bias below its score on nearly every image of an old class (see the class comment). */
    private static void protectOldClasses(int kOld, float[][] w, float[] b, float[][] f, TrainingSet train,
                                          float[][] fv, TrainingSet validation) {
        List<List<Double>> margins = new ArrayList<>();
        for (int c = 0; c < b.length; c++) {
            margins.add(new ArrayList<>());
        }
        double[] logits = new double[b.length];
        for (int pass = 0; pass < 2; pass++) {
            float[][] features = pass == 0 ? f : fv;
            TrainingSet set = pass == 0 ? train : validation;
            for (int n = 0; n < features.length; n++) {
                if (set.classes()[n] >= kOld) {
                    continue;
                }
                softmax(features[n], w, b, logits);
                double bestOld = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < kOld; c++) {
                    bestOld = Math.max(bestOld, logits[c]);
                }
                for (int c = kOld; c < b.length; c++) {
                    margins.get(c).add(logits[c] - bestOld);
                }
            }
        }
        for (int c = kOld; c < b.length; c++) {
            List<Double> m = margins.get(c);
            if (m.isEmpty()) {
                continue;
            }
            Collections.sort(m);
            double high = m.get((int) Math.floor(OLD_IMAGES_KEPT * (m.size() - 1)));
            if (high > -MARGIN) {
                b[c] -= (float) (high + MARGIN);
            }
        }
    }

    /** The share of old images on which a new class must not win. */
    private static final double OLD_IMAGES_KEPT = 0.998;

    /** How far below the best old class a new class must stay on old images (in logits). */
    private static final double MARGIN = 0.1;

    /** The activations entering the output layer, as the network computes them when it serves. */
    static float[][] features(MultiLayerNetwork net, TrainingSet set) {
        if (set.count() == 0) {
            return new float[0][];
        }
        int last = net.getnLayers() - 1;
        int size = set.spec().size();
        float[][] out = new float[set.count()][];
        for (int from = 0; from < set.count(); from += 256) {
            int n = Math.min(256, set.count() - from);
            float[] x = Arrays.copyOfRange(set.inputs(), from * size, (from + n) * size);
            try (INDArray in = Nd4j.create(x, new long[] {n, set.spec().channels(), set.spec().height(),
                    set.spec().width()}, 'c')) {
                List<INDArray> acts = net.feedForwardToLayer(last - 1, in, false);
                float[][] rows = acts.get(last).reshape(n, -1).toFloatMatrix();
                System.arraycopy(rows, 0, out, from, n);
            }
        }
        return out;
    }

    private static double[] softmax(float[] x, float[][] w, float[] b, double[] logits) {
        int k = b.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double z = b[c];
            for (int i = 0; i < x.length; i++) {
                z += x[i] * w[i][c];
            }
            logits[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static double loss(float[][] f, TrainingSet set, float[][] w, float[] b, double[] weight) {
        double loss = 0;
        double[] logits = new double[b.length];
        for (int n = 0; n < f.length; n++) {
            double[] p = softmax(f[n], w, b, logits);
            loss -= weight[n] * Math.log(Math.max(1e-9, p[set.classes()[n]]));
        }
        return loss;
    }

    private static double accuracyOnNew(float[][] f, TrainingSet set, float[][] w, float[] b, int kOld) {
        int n = 0;
        int correct = 0;
        double[] logits = new double[b.length];
        for (int i = 0; i < f.length; i++) {
            if (set.classes()[i] < kOld) {
                continue;
            }
            n++;
            double[] p = softmax(f[i], w, b, logits);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            correct += best == set.classes()[i] ? 1 : 0;
        }
        return n == 0 ? 0 : (double) correct / n;
    }

    /** Weights that give every class the same total weight, summing to 1. */
    private static double[] classWeights(TrainingSet set) {
        int[] counts = new int[set.labels().size()];
        for (int y : set.classes()) {
            counts[y]++;
        }
        long present = Arrays.stream(counts).filter(c -> c > 0).count();
        double[] w = new double[set.count()];
        for (int n = 0; n < w.length; n++) {
            w[n] = 1.0 / (present * counts[set.classes()[n]]);
        }
        return w;
    }

    private static float[][] copy(float[][] w) {
        float[][] c = new float[w.length][];
        for (int i = 0; i < w.length; i++) {
            c[i] = w[i].clone();
        }
        return c;
    }

    /** Adam on a flat parameter vector. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private final double lr;
        private int t;

        Adam(int n, double lr) {
            this.m = new double[n];
            this.v = new double[n];
            this.lr = lr;
        }

        double[] step(double[] g) {
            t++;
            double[] s = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                s[i] = lr * mh / (Math.sqrt(vh) + 1e-8);
            }
            return s;
        }
    }
}
