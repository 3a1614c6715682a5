package io.argus.inference;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.Provenance;

/**
 * A model whose answers a test can predict: P(bright) = sigmoid(10 * (mean brightness - 0.5) ...)
 * precisely softmax([w*m, -w*m]) with m the mean pixel in 0..1. White is "bright" with confidence
 * ~1, black is a coin toss (0.5 each), so it lands in review.
 */
public final class BrightnessModel {

    public static final List<String> LABELS = List.of("bright", "dark");

    private BrightnessModel() {
    }

    public static ModelBundle bundle(String name, int version, double weight) {
        return bundle(name, version, weight, Map.of());
    }

    /** The model with some sensors' images calibrated before it sees them. */
    public static ModelBundle bundle(String name, int version, double weight,
                                     Map<String, SensorCalibration> calibrations) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(1).setParam("W", Nd4j.create(new float[][] {{(float) weight, (float) -weight}}));
        net.getLayer(1).setParam("b", Nd4j.zeros(1, 2));
        BundleManifest manifest = BundleManifest.builder(name, version, LABELS, InputSpec.grey(8, 8))
                .provenance(Provenance.builder().base("none").strategy("fixed weights").architecture("brightness").build())
                .sensorCalibrations(calibrations).build();
        return ExportedBundles.of(manifest, net);
    }
}
