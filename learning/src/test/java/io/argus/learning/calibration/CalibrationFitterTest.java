package io.argus.learning.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.image.SensorCalibration;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.testing.TrainedFashionCnn;
import io.argus.learning.training.TrainingSet;

/**
 * A camera whose images differ from the base data (inverted contrast, a quarter turn, gamma) is
 * brought back by a calibration fitted on 50 of its labeled images, with the network untouched.
 * The network is {@link TrainedFashionCnn}'s (the bundled Fashion-MNIST subset's first 3000
 * training images); the base histogram is of the images it was trained on; the camera's images
 * come from the test split, which it never saw.
 */
class CalibrationFitterTest {

    private static MultiLayerNetwork net;
    private static FashionMnist.Data data;
    private static TrainingSet base;

    @BeforeAll
    static void pretrain() throws IOException {
        data = FashionMnist.loadSubset();
        base = TrainedFashionCnn.train(data);
        net = TrainedFashionCnn.copy();
    }

    @Test
    void anInvertedCameraIsCalibratedBackToTheBaseAccuracyFromFiftyLabels() {
        Shifted shifted = shift(img -> SimulatedCameras.invert(img));

        CalibrationFitter.Result r = fit(shifted);

        double base = accuracy(SensorCalibration.IDENTITY, shifted.original());
        double before = accuracy(SensorCalibration.IDENTITY, shifted.rest());
        double after = accuracy(r.calibration(), shifted.rest());
        System.out.printf("inverted: base %.3f, camera before %.3f, after %.3f (%s)%n", base, before, after,
                r.describe());
        assertThat(before).isLessThan(0.3);
        assertThat(after).isGreaterThan(base - 0.05);
    }

    @Test
    void aCameraTurnedAQuarterIsCalibratedBack() {
        Shifted shifted = shift(SimulatedCameras::rotate);

        CalibrationFitter.Result r = fit(shifted);

        double base = accuracy(SensorCalibration.IDENTITY, shifted.original());
        double after = accuracy(r.calibration(), shifted.rest());
        System.out.printf("rotated: base %.3f, camera before %.3f, after %.3f (%s)%n", base,
                accuracy(SensorCalibration.IDENTITY, shifted.rest()), after, r.describe());
        assertThat(after).isGreaterThan(base - 0.05);
    }

    record Shifted(TrainingSet train, TrainingSet validation, TrainingSet rest, TrainingSet original) {
    }

    private CalibrationFitter.Result fit(Shifted s) {
        try (Forward forward = Forward.fast(net, FashionCnn.INPUT, 10)) {
            return new CalibrationFitter(CalibrationFitter.Settings.DEFAULTS, line -> { })
                    .fit(forward, s.train(), s.validation(), IntensityHistogram.of(base), SensorCalibration.IDENTITY);
        }
    }

    private double accuracy(SensorCalibration c, TrainingSet set) {
        return CalibrationFitter.score(Forward.of(net, FashionCnn.INPUT), set, c).accuracy();
    }

    /** The test split through a camera: 50 labeled (35 train, 15 validation), the other 950 to measure on. */
    private static Shifted shift(UnaryOperator<BufferedImage> camera) {
        LabeledImages test = data.test();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            images.add(camera.apply(test.image(i)));
        }
        TrainingSet all = TrainingSet.ofImages(images, test.labels(), FashionMnist.LABELS, FashionCnn.INPUT);
        TrainingSet original = TrainingSet.of(test, FashionMnist.LABELS, FashionCnn.INPUT);
        return new Shifted(all.subset(range(0, 35)), all.subset(range(35, 50)), all.subset(range(50, test.count())),
                original.subset(range(50, test.count())));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
