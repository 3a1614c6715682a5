package io.argus.learning.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.learning.training.TrainingSet;

/**
 * The offline path for ImageNet bases: weights read from a local directory under the zoo's file
 * name. ImageNet weights cannot be downloaded here, so the test writes a weights file itself.
 */
class ZooModelsTest {

    @TempDir
    Path weights;

    @Test
    void squeezeNetWeightsAreReadFromTheWeightsDirectoryAndTransferToANewHead() throws IOException {
        ComputationGraph made = ZooModels.random(Architecture.SQUEEZENET, 1000, 3);
        ZooModels.save(made, weights.resolve(ZooModels.weightFileName(Architecture.SQUEEZENET)).toFile());

        ComputationGraph loaded = new ZooModels(Optional.of(weights), false).pretrained(Architecture.SQUEEZENET);
        assertThat(loaded.params()).isEqualTo(made.params());

        BaseNetwork base = new BaseNetwork("zoo:squeezenet", Architecture.SQUEEZENET, loaded, List.of(),
                Transfer.outputs(loaded, Architecture.SQUEEZENET));
        assertThat(base.outputs()).isEqualTo(1000);
        TrainingSet tiny = randomSet(6, List.of("cat", "dog", "fox"));
        TransferTrainer.Result r = new TransferTrainer().train(base, 0, Strategy.FROZEN, tiny, null,
                new TransferTrainer.Settings(1, 1, 0, 6, 1e-3, 1e-4, false, 1, null), e -> { });

        ComputationGraph adapted = (ComputationGraph) r.network();
        assertThat(adapted.getLayer("conv10").getParam("b").length()).isEqualTo(3);
        assertThat(adapted.outputSingle(false, org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 227, 227)).shape()).containsExactly(2, 3);
    }

    @Test
    void everyZooArchitectureNamesLayersItsNetworkReallyHas() {
        for (Architecture arch : List.of(Architecture.SQUEEZENET, Architecture.RESNET50, Architecture.VGG16)) {
            var conf = ZooModels.configuration(arch, 7);
            assertThat(conf.getVertices()).as(arch.name())
                    .containsKeys(arch.head(), arch.featureExtractorEnd(), arch.fineTuneFrozenEnd());
        }
    }

    @Test
    void withoutAWeightsFileAndWithoutDownloadsTheErrorSaysWhatToDo() {
        ZooModels zoo = new ZooModels(Optional.of(weights), false);

        assertThatThrownBy(() -> zoo.pretrained(Architecture.RESNET50)).isInstanceOf(IOException.class)
                .hasMessageContaining("resnet50_dl4j_inference.v3.zip").hasMessageContaining(weights.toString())
                .hasMessageContaining("argus.trainer.zoo.download=true");
    }

    private static TrainingSet randomSet(int n, List<String> labels) {
        var spec = Architecture.SQUEEZENET.input();
        Random random = new Random(1);
        float[] x = new float[n * spec.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 255 - 120;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % labels.size();
        }
        return new TrainingSet(spec, labels, x, y);
    }
}
