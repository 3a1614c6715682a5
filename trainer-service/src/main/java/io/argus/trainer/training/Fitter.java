package io.argus.trainer.training;

import java.util.Locale;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.model.ModelMetrics;

/**
 * Mini-batch training for a fixed number of epochs, shuffled with a seed, reporting progress
 * during each epoch (about every ten seconds) and the held-out metrics after it.
 */
public final class Fitter {

    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    private final int batchSize;
    private final long seed;
    private final Progress progress;

    public Fitter(int batchSize, long seed, Progress progress) {
        this.batchSize = batchSize;
        this.seed = seed;
        this.progress = progress;
    }

    /** Trains {@code net} in place and returns the metrics after the last epoch. */
    public ModelMetrics fit(MultiLayerNetwork net, TrainingSet train, TrainingSet test, int epochs) {
        int n = train.count();
        int size = train.spec().size();
        int classes = train.labels().size();
        long[] shape = {0, train.spec().channels(), train.spec().height(), train.spec().width()};
        Random random = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ModelMetrics metrics = null;
        long runStart = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, random);
            long epochStart = System.nanoTime();
            long lastReport = epochStart;
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batchSize) {
                int b = Math.min(batchSize, n - from);
                float[] x = new float[b * size];
                float[] y = new float[b * classes];
                for (int k = 0; k < b; k++) {
                    int i = order[from + k];
                    System.arraycopy(train.inputs(), i * size, x, k * size, size);
                    y[k * classes + train.classes()[i]] = 1f;
                }
                shape[0] = b;
                try (INDArray features = Nd4j.create(x, shape, 'c');
                     INDArray labels = Nd4j.create(y, new long[] {b, classes}, 'c')) {
                    net.fit(new DataSet(features, labels));
                }
                lossSum += net.score();
                batches++;
                long now = System.nanoTime();
                if (now - lastReport > REPORT_EVERY_NANOS) {
                    lastReport = now;
                    double rate = (from + b) / ((now - epochStart) / 1e9);
                    progress.report(String.format(Locale.ROOT, "  epoch %d/%d: %5.1f%%  loss %.4f  %.0f images/s",
                            epoch, epochs, 100.0 * (from + b) / n, lossSum / batches, rate));
                }
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            metrics = Evaluator.evaluate(net, test);
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            double eta = elapsed / epoch * (epochs - epoch);
            progress.report(String.format(Locale.ROOT,
                    "epoch %d/%d done in %.0f s (%.0f images/s): loss %.4f, test accuracy %.4f, macro F1 %.4f%s",
                    epoch, epochs, seconds, n / seconds, lossSum / batches, metrics.accuracy(), metrics.macroF1(),
                    epoch < epochs ? String.format(Locale.ROOT, ", about %.0f s to go", eta) : ""));
        }
        return metrics;
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
