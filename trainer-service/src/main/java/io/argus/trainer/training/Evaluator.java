package io.argus.trainer.training;

import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.model.ConfusionMatrix;
import io.argus.common.model.ModelMetrics;

/** Accuracy, per-class and macro precision/recall/F1 and the confusion matrix on held-out samples. */
public final class Evaluator {

    private static final int BATCH = 256;

    private Evaluator() {
    }

    public static ModelMetrics evaluate(MultiLayerNetwork net, TrainingSet test) {
        ConfusionMatrix confusion = new ConfusionMatrix(test.labels());
        int size = test.spec().size();
        for (int from = 0; from < test.count(); from += BATCH) {
            int n = Math.min(BATCH, test.count() - from);
            float[] x = Arrays.copyOfRange(test.inputs(), from * size, (from + n) * size);
            try (INDArray in = Nd4j.create(x, new long[] {n, test.spec().channels(), test.spec().height(),
                    test.spec().width()}, 'c'); INDArray out = net.output(in, false)) {
                confusion.addAll(Arrays.copyOfRange(test.classes(), from, from + n), out.toFloatMatrix());
            }
        }
        return confusion.metrics();
    }
}
