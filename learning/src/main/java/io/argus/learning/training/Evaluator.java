package io.argus.learning.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.model.ConfusionMatrix;
import io.argus.common.model.ModelMetrics;

/** Accuracy, per-class and macro precision/recall/F1 and the confusion matrix on held-out samples. */
public final class Evaluator {

    private static final int BATCH = 128;

    private Evaluator() {
    }

    public static ModelMetrics evaluate(Model net, TrainingSet test) {
        return evaluate(test, predict(net, test));
    }

    /** The metrics of probabilities already predicted for every sample of {@code test}. */
    public static ModelMetrics evaluate(TrainingSet test, float[][] probabilities) {
        ConfusionMatrix confusion = new ConfusionMatrix(test.labels());
        confusion.addAll(test.classes(), probabilities);
        return confusion.metrics();
    }

    /** The network's probabilities for every sample of {@code set}. */
    public static float[][] predict(Model net, TrainingSet set) {
        int size = set.spec().size();
        List<float[]> rows = new ArrayList<>(set.count());
        for (int from = 0; from < set.count(); from += BATCH) {
            int n = Math.min(BATCH, set.count() - from);
            float[] x = Arrays.copyOfRange(set.inputs(), from * size, (from + n) * size);
            try (INDArray in = Nd4j.create(x, new long[] {n, set.spec().channels(), set.spec().height(),
                    set.spec().width()}, 'c'); INDArray out = Networks.output(net, in)) {
                rows.addAll(Arrays.asList(out.toFloatMatrix()));
            }
        }
        return rows.toArray(new float[0][]);
    }

    /**
     * Metrics of predictions made over {@code predictedLabels} on samples whose true labels come
     * from {@code set}, counted on {@code shared} labels only; a prediction outside them counts as
     * wrong. This is how a candidate and a champion with different label sets are compared on the
     * same held-out samples.
     */
    public static ModelMetrics onShared(TrainingSet set, float[][] probabilities, List<String> predictedLabels,
                                        List<String> shared) {
        List<String> columns = new ArrayList<>(shared);
        columns.add("(other)");
        ConfusionMatrix confusion = new ConfusionMatrix(columns);
        for (int i = 0; i < set.count(); i++) {
            int actual = shared.indexOf(set.labels().get(set.classes()[i]));
            if (actual < 0) {
                continue;
            }
            int predicted = shared.indexOf(predictedLabels.get(ConfusionMatrix.argMax(probabilities[i])));
            confusion.add(actual, predicted < 0 ? shared.size() : predicted);
        }
        return confusion.metrics();
    }
}
