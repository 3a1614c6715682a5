package io.argus.learning.training;

import java.util.Arrays;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.model.ConfusionMatrix;

/**
 * Mini-batch training with a seeded shuffle, optional augmentation, and early stopping on the
 * validation loss: after {@code patience} epochs without improvement training stops and the
 * weights of the best epoch are restored. Neither early stopping nor the epoch limit ends
 * training before {@code minSteps} optimizer steps: with a few dozen labels an epoch is three
 * steps, and counting in epochs alone would stop a fresh head long before it has learned
 * anything. Reports progress during each epoch (about every ten seconds) and after it.
 */
public final class Fitter {

    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;
    private static final int EVAL_BATCH = 128;

    /**
     * @param patience  epochs without a better validation loss before stopping; {@code maxEpochs} disables it
     * @param minSteps  optimizer steps before any stop
     * @param augmenter null for none
     */
    public record Settings(int maxEpochs, int batchSize, int patience, int minSteps, long seed, Augmenter augmenter,
                           EpochOrder order) {

        public Settings(int maxEpochs, int batchSize, int patience, int minSteps, long seed, Augmenter augmenter) {
            this(maxEpochs, batchSize, patience, minSteps, seed, augmenter, null);
        }

        public Settings(int maxEpochs, int batchSize, int patience, long seed, Augmenter augmenter) {
            this(maxEpochs, batchSize, patience, 0, seed, augmenter, null);
        }

        /** These settings with the samples of each epoch drawn by {@code order} (null: a shuffle of all). */
        public Settings withOrder(EpochOrder order) {
            return new Settings(maxEpochs, batchSize, patience, minSteps, seed, augmenter, order);
        }
    }

    /** Which training samples an epoch visits, in which order (indices may repeat). */
    @FunctionalInterface
    public interface EpochOrder {
        int[] next(Random random);
    }

    /** The state after one epoch; validation figures are NaN without a validation set. */
    public record Epoch(String phase, int epoch, int maxEpochs, double trainLoss, double validationLoss,
                        double validationAccuracy, double seconds, double imagesPerSecond, double etaSeconds) {
    }

    /** What a fit did. */
    public record Result(int epochs, int bestEpoch, double bestValidationLoss, double seconds) {
    }

    /** Hears about progress; called on the training thread. */
    public interface Listener {
        void epoch(Epoch e);

        default void during(String phase, int epoch, int maxEpochs, double fraction, double loss, double rate) {
        }
    }

    public Result fit(Model net, TrainingSet train, TrainingSet validation, Settings s, String phase, Listener listener) {
        int n = train.count();
        int size = train.spec().size();
        int classes = train.labels().size();
        long[] shape = {0, train.spec().channels(), train.spec().height(), train.spec().width()};
        Random random = new Random(s.seed());
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        boolean validate = validation != null && validation.count() > 0;
        INDArray best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        long steps = 0;
        int stepsPerEpoch = (n + s.batchSize() - 1) / s.batchSize();
        int maxEpochs = Math.max(s.maxEpochs(), (int) Math.ceil((double) s.minSteps() / Math.max(1, stepsPerEpoch)));
        long start = System.nanoTime();
        while (epoch < maxEpochs) {
            epoch++;
            if (s.order() != null) {
                order = s.order().next(random);
                n = order.length;
            } else {
                shuffle(order, random);
            }
            long epochStart = System.nanoTime();
            long lastReport = epochStart;
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += s.batchSize()) {
                int b = Math.min(s.batchSize(), n - from);
                float[] x = new float[b * size];
                float[] y = new float[b * classes];
                for (int k = 0; k < b; k++) {
                    int i = order[from + k];
                    System.arraycopy(train.inputs(), i * size, x, k * size, size);
                    if (s.augmenter() != null) {
                        s.augmenter().apply(x, k * size, random);
                    }
                    y[k * classes + train.classes()[i]] = 1f;
                }
                shape[0] = b;
                try (INDArray features = Nd4j.create(x, shape, 'c');
                     INDArray labels = Nd4j.create(y, new long[] {b, classes}, 'c')) {
                    Networks.fit(net, new DataSet(features, labels));
                }
                lossSum += net.score();
                batches++;
                steps++;
                long now = System.nanoTime();
                if (now - lastReport > REPORT_EVERY_NANOS) {
                    lastReport = now;
                    listener.during(phase, epoch, maxEpochs, (double) (from + b) / n, lossSum / batches,
                            (from + b) / ((now - epochStart) / 1e9));
                }
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double valLoss = Double.NaN;
            double valAccuracy = Double.NaN;
            if (validate) {
                double[] v = validationLossAndAccuracy(net, validation);
                valLoss = v[0];
                valAccuracy = v[1];
                if (valLoss < bestLoss) {
                    bestLoss = valLoss;
                    bestEpoch = epoch;
                    if (best != null) {
                        best.close();
                    }
                    best = net.params().dup();
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            listener.epoch(new Epoch(phase, epoch, maxEpochs, lossSum / Math.max(1, batches), valLoss, valAccuracy,
                    seconds, n / seconds, elapsed / epoch * (maxEpochs - epoch)));
            if (validate && epoch - bestEpoch >= s.patience() && steps >= s.minSteps()) {
                break;
            }
        }
        if (best != null) {
            net.setParams(best);
            best.close();
        }
        return new Result(epoch, validate ? bestEpoch : epoch, bestLoss, (System.nanoTime() - start) / 1e9);
    }

    private static double[] validationLossAndAccuracy(Model net, TrainingSet v) {
        int size = v.spec().size();
        int classes = v.labels().size();
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < v.count(); from += EVAL_BATCH) {
            int b = Math.min(EVAL_BATCH, v.count() - from);
            float[] x = Arrays.copyOfRange(v.inputs(), from * size, (from + b) * size);
            float[] y = new float[b * classes];
            for (int k = 0; k < b; k++) {
                y[k * classes + v.classes()[from + k]] = 1f;
            }
            try (INDArray features = Nd4j.create(x, new long[] {b, v.spec().channels(), v.spec().height(),
                    v.spec().width()}, 'c');
                 INDArray labels = Nd4j.create(y, new long[] {b, classes}, 'c')) {
                lossSum += Networks.loss(net, new DataSet(features, labels)) * b;
                try (INDArray out = Networks.output(net, features)) {
                    float[][] p = out.toFloatMatrix();
                    for (int k = 0; k < b; k++) {
                        if (ConfusionMatrix.argMax(p[k]) == v.classes()[from + k]) {
                            correct++;
                        }
                    }
                }
            }
        }
        return new double[] {lossSum / v.count(), (double) correct / v.count()};
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
