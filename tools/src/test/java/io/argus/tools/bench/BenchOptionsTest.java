package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.engine.Engine;
import io.argus.common.engine.OnnxSettings;

class BenchOptionsTest {

    @Test
    void byDefaultEveryModelRunsOnBothEnginesAtBatch1And8And32() {
        BenchOptions o = BenchOptions.parse(new String[0]);

        assertThat(o.models()).isEqualTo(BenchModels.KNOWN);
        assertThat(o.engines()).containsExactly(BenchEngine.ONNX, BenchEngine.DL4J);
        assertThat(o.batches()).containsExactly(1, 8, 32);
        assertThat(o.e2e()).extracting(Object::toString)
                .containsExactly("fashion-cnn:png", "resnet50:jpeg224", "resnet50:jpeg1080");
        assertThat(o.warmUpMax()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void optionsNarrowTheRun() {
        BenchOptions o = BenchOptions.parse(new String[] {"--models", "squeezenet", "--engines", "onnx",
                "--batches", "8", "--e2e", "none", "--seconds", "1.5", "--warm-up-seconds", "0"});

        assertThat(o.models()).containsExactly("squeezenet");
        assertThat(o.engines()).containsExactly(BenchEngine.ONNX);
        assertThat(o.batches()).containsExactly(8);
        assertThat(o.e2e()).isEmpty();
        assertThat(o.seconds()).isEqualTo(1.5);
        assertThat(o.warmUpMax()).isZero();
    }

    @Test
    void onnxCudaIsOnnxRuntimeWithTheCudaProviderAsTheServiceIsConfiguredForIt() {
        BenchOptions o = BenchOptions.parse(new String[] {"--engines", "onnx,onnx-cuda,ONNX-CUDA"});

        assertThat(o.engines()).containsExactly(BenchEngine.ONNX, BenchEngine.ONNX_CUDA);
        BenchEngine cuda = o.engines().get(1);
        assertThat(cuda).hasToString("onnx-cuda");
        assertThat(cuda.engine()).isEqualTo(Engine.ONNX);
        assertThat(cuda.onnx(new OnnxSettings(2, true, false, 0))).isEqualTo(new OnnxSettings(2, true, true, 0));
        assertThat(cuda.serviceConfig()).containsEntry("argus.inference.engine", "onnx")
                .containsEntry("argus.inference.onnx.cuda", "true");
        assertThat(BenchEngine.ONNX.serviceConfig()).containsEntry("argus.inference.onnx.cuda", "false");
        assertThat(BenchEngine.DL4J.serviceConfig()).containsEntry("argus.inference.engine", "dl4j");
    }

    @Test
    void unknownModelsImagesAndOptionsAreRefusedNamingWhatIsKnown() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--engines", "cuda"}))
                .hasMessageContaining("unknown engine 'cuda'").hasMessageContaining("onnx-cuda");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--engines", ","}))
                .hasMessageContaining("names no engine");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--models", "alexnet"}))
                .hasMessageContaining("unknown model 'alexnet'").hasMessageContaining("resnet50");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--e2e", "resnet50:bmp"}))
                .hasMessageContaining("model:images").hasMessageContaining("jpeg1080");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--turbo", "yes"}))
                .hasMessageContaining("unknown option --turbo");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--batches", "0"}))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--seconds"}))
                .hasMessageContaining("needs a value");
    }

    @Test
    void quickIsAShortRunOfTheThreeModelClasses() {
        BenchOptions o = BenchOptions.parse(new String[] {"--quick"});

        assertThat(o.models()).isEqualTo(List.of("fashion-cnn", "resnet50", "squeezenet"));
        assertThat(o.seconds()).isLessThan(5);
    }

    @Test
    void byDefaultEachEndToEndCaseRunsOnceAsDeployed() {
        BenchOptions o = BenchOptions.parse(new String[0]);

        assertThat(o.variants()).containsExactly(EndToEnd.Variant.BASELINE);
        assertThat(EndToEnd.Variant.BASELINE.shadow()).isFalse();
        assertThat(EndToEnd.Variant.BASELINE.drift()).as("drift as deployed: on").isTrue();
        assertThat(EndToEnd.Variant.BASELINE.ood()).as("OOD scores as deployed: on").isTrue();
    }

    @Test
    void shadowDriftAndOodCostAddRunsThatDifferFromTheBaselineInOneThingEach() {
        BenchOptions o = BenchOptions.parse(new String[] {"--e2e", "fashion-cnn:png", "--shadow", "0.5",
                "--drift-cost", "--ood-cost"});

        assertThat(o.shadowShare()).isEqualTo(0.5);
        assertThat(o.variants()).containsExactly(new EndToEnd.Variant("baseline", 0, true, true),
                new EndToEnd.Variant("shadow 0.50", 0.5, true, true), new EndToEnd.Variant("drift off", 0, false, true),
                new EndToEnd.Variant("ood off", 0, true, false));
        assertThat(BenchOptions.parse(new String[] {"--shadow", "1"}).variants()).extracting(EndToEnd.Variant::name)
                .containsExactly("baseline", "shadow 1.00");
        assertThat(BenchOptions.parse(new String[] {"--drift-cost"}).variants()).extracting(EndToEnd.Variant::name)
                .containsExactly("baseline", "drift off");
        assertThat(BenchOptions.parse(new String[] {"--ood-cost"}).variants()).extracting(EndToEnd.Variant::name)
                .containsExactly("baseline", "ood off");
    }

    @Test
    void aShadowShareOutsideZeroToOneOrWithoutAnEndToEndRunIsRefused() {
        for (String share : List.of("0", "-0.1", "1.5", "NaN")) {
            assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--shadow", share})).as(share)
                    .hasMessageContaining("--shadow takes the share").hasMessageContaining("at most 1");
        }
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--shadow", "0.5", "--e2e", "none"}))
                .hasMessageContaining("--e2e names none");
        for (String cost : List.of("--drift-cost", "--ood-cost")) {
            assertThatThrownBy(() -> BenchOptions.parse(new String[] {cost, "--e2e", "none"})).as(cost)
                    .hasMessageContaining("--e2e names none");
        }
    }
}
