package io.argus.common.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class OneDnnTest {

    @AfterEach
    void restoreDefault() {
        System.clearProperty(OneDnn.HELPERS_DISABLE_PROPERTY);
        OneDnn.enable();
    }

    @Test
    void convolutionPoolingAndBatchNormRunOnOneDnnHelpers() {
        OneDnn.enable();
        MultiLayerNetwork net = network(7);

        assertThat(OneDnn.active()).as(OneDnn.describe()).isTrue();
        assertThat(net.getLayer(0).getHelper()).as("convolution helper").isNotNull();
        assertThat(net.getLayer(0).getHelper().getClass().getSimpleName()).isEqualTo("MKLDNNConvHelper");
        assertThat(net.getLayer(1).getHelper()).as("batch-norm helper").isNotNull();
        assertThat(net.getLayer(2).getHelper()).as("pooling helper").isNotNull();
    }

    @Test
    void helperAndBuiltInImplementationsGiveTheSameOutputs() {
        System.setProperty(OneDnn.HELPERS_DISABLE_PROPERTY, "true");
        MultiLayerNetwork plain = network(11);
        assertThat(plain.getLayer(0).getHelper()).as("no helper when disabled").isNull();

        System.setProperty(OneDnn.HELPERS_DISABLE_PROPERTY, "false");
        MultiLayerNetwork fast = network(11);
        fast.setParams(plain.params().dup());
        assertThat(fast.getLayer(0).getHelper()).isNotNull();

        INDArray input = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
        INDArray expected = plain.output(input, false);
        INDArray actual = fast.output(input, false);
        assertThat(actual.equalsWithEps(expected, 1e-5)).as("max difference %s",
                actual.sub(expected).amax().getDouble(0)).isTrue();

        // Training too: one step from the same start must land on the same weights.
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 10);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        plain.fit(input, labels);
        fast.fit(input, labels);
        assertThat(fast.params().equalsWithEps(plain.params(), 1e-4)).isTrue();
    }

    private static MultiLayerNetwork network(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
