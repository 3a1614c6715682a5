package io.argus.learning.testing;

import java.io.IOException;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.dataset.FashionMnist;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.TrainingSet;

/**
 * One FashionCnn trained on the bundled Fashion-MNIST subset, shared by the test classes that need
 * "a trained network" and not a particular one (pruning, calibration): trained once per test JVM
 * (surefire runs a module's classes in one), which saves a module build one training of about half
 * a minute. Each caller gets its own copy, so no test sees what another did to its network.
 *
 * <p>Trained on the first 3000 training images, early-stopped on images 3000..3599; the test split
 * is never trained on.
 */
public final class TrainedFashionCnn {

    public static final int TRAIN = 3000;
    public static final int VALIDATION_END = 3600;

    private static MultiLayerNetwork trained;

    private TrainedFashionCnn() {
    }

    /** A copy of the shared network, trained on first use. */
    public static synchronized MultiLayerNetwork copy() throws IOException {
        if (trained == null) {
            FashionMnist.Data data = FashionMnist.loadSubset();
            MultiLayerNetwork net = FashionCnn.build(10, 11, 1e-3);
            new Fitter().fit(net, train(data), validation(data), new Fitter.Settings(3, 32, 3, 11, null), "train",
                    e -> { });
            trained = net;
        }
        return trained.clone();
    }

    /** The images the shared network was trained on. */
    public static TrainingSet train(FashionMnist.Data data) {
        return TrainingSet.of(data.train().first(TRAIN), FashionMnist.LABELS, FashionCnn.INPUT);
    }

    /** The images its early stopping watched. */
    public static TrainingSet validation(FashionMnist.Data data) {
        return TrainingSet.of(data.train().select(IntStream.range(TRAIN, VALIDATION_END).toArray()),
                FashionMnist.LABELS, FashionCnn.INPUT);
    }
}
