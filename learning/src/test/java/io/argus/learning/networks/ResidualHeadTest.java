package io.argus.learning.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResidualHeadTest {

    @Test
    void theFeatureMapsAreAveragedIntoOneProbabilityPerClassUnderTheOutputNameGiven() {
        var b = new NeuralNetConfiguration.Builder().seed(3).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer("features", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
                        "input");

        ComputationGraph net = ResidualHead.finish(b, "features", "fc", 3);

        assertThat(net.getConfiguration().getNetworkOutputs()).containsExactly("fc");
        assertThat(net.getConfiguration().getVertexInputs().get("avgpool")).containsExactly("features");
        assertThat(net.getConfiguration().getVertexInputs().get("fc")).containsExactly("avgpool");
        assertThat(((GlobalPoolingLayer) net.getLayer("avgpool").conf().getLayer()).getPoolingType())
                .as("averaged, not the strongest response").isEqualTo(PoolingType.AVG);
        INDArray probabilities = net.outputSingle(Nd4j.rand(DataType.FLOAT, 5, 1, 6, 6));
        assertThat(probabilities.shape()).containsExactly(5, 3);
        for (int i = 0; i < 5; i++) {
            assertThat(probabilities.getRow(i).sumNumber().doubleValue()).as("image %d", i).isCloseTo(1.0, within(1e-5));
        }
        assertThat(net.params().length()).as("initialised").isPositive();
    }
}
