package io.argus.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelBundles;
import io.argus.common.model.TinyNetworks;


class EngineTest {

    private final ModelBundle bundle = TinyNetworks.bundle("argus", 1, List.of("cat", "dog", "fox"));

    @Test
    void onnxServesTheBundlesOnnxGraphAndDl4jItsNetworkWithTheSameAnswers() {
        float[] images = new float[2 * 64];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i % 7) / 7f;
        }
        try (ImageClassifier onnx = Engine.ONNX.open(bundle, OnnxSettings.CPU);
             ImageClassifier dl4j = Engine.DL4J.open(bundle, OnnxSettings.CPU)) {
            assertThat(onnx).isInstanceOf(OnnxClassifier.class);
            assertThat(onnx.engine()).isEqualTo("onnxruntime (CPU)");
            assertThat(dl4j).isInstanceOf(Dl4jClassifier.class);
            assertThat(dl4j.engine()).startsWith("dl4j");
            float[][] a = onnx.classify(images, 2);
            float[][] b = dl4j.classify(images, 2);
            for (int i = 0; i < 2; i++) {
                assertThat(a[i]).containsExactly(b[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
            assertThat(onnx.labels()).containsExactly("cat", "dog", "fox");
        }
    }

    @Test
    void aBundleWithoutAnOnnxGraphIsServedByDl4jEvenWhenOnnxIsAskedFor() {
        ModelBundle legacy = new ModelBundle(bundle.manifest(), bundle.network());

        try (ImageClassifier c = Engine.ONNX.open(legacy, OnnxSettings.CPU)) {
            assertThat(c).isInstanceOf(Dl4jClassifier.class);
        }
    }

    @Test
    void withoutAGpuTheCudaSettingFallsBackToTheCpu() {
        try (OnnxClassifier c = (OnnxClassifier) Engine.ONNX.open(bundle, new OnnxSettings(1, false, true, 0))) {
            assertThat(c.device()).isEqualTo("CPU");
            assertThat(c.classify(new float[64], 1)[0]).hasSize(3);
            // Why, as the service logs it and the bench prints it (this build has no CUDA provider).
            assertThat(c.cudaUnavailable()).get(InstanceOfAssertFactories.STRING)
                    .contains("no CUDA execution provider").contains("-Pgpu");
            assertThat(OnnxClassifier.cudaProblem(0)).isEqualTo(c.cudaUnavailable());
        }
        try (OnnxClassifier c = (OnnxClassifier) Engine.ONNX.open(bundle, OnnxSettings.CPU)) {
            assertThat(c.cudaUnavailable()).as("not asked for").isEmpty();
        }
    }

    @Test
    void engineNamesAreTheirConfigurationValues() {
        assertThat(Engine.ONNX).hasToString("onnx");
        assertThat(Engine.DL4J.parts()).isEqualTo(ModelBundles.Parts.ALL);
        assertThat(Engine.ONNX.parts()).isEqualTo(ModelBundles.Parts.SERVING);
    }
}
