package io.argus.common.model;

import java.time.Instant;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.image.InputSpec;

/** Small random networks and bundles for tests. */
public final class TinyNetworks {

    private TinyNetworks() {
    }

    public static MultiLayerNetwork cnn(int size, int classes, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(size, size, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    public static ModelBundle bundle(String name, int version, List<String> labels) {
        BundleManifest manifest = BundleManifest.builder(name, version, labels, InputSpec.grey(8, 8))
                .provenance(Provenance.builder().base("scratch").strategy("test").architecture("tiny").build())
                .createdAt(Instant.parse("2026-11-22T00:00:00Z")).build();
        return ExportedBundles.of(manifest, cnn(8, labels.size(), version));
    }
}
