package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.argus.common.image.InputSpec;
import io.argus.common.model.Flops;

/** FLOPs per image from the graph, checked against the figures published for torchvision's ResNets. */
class FlopsTest {

    private static final InputSpec RGB_224 = InputSpec.imageNet(224, 224);

    @Test
    void resNet18CostsTwiceItsPublished1Point82GigaMultiplyAdds() {
        long flops = Flops.perImage(ResNets.resnet18(1000, 1), RGB_224);

        assertThat(flops / 1e9).isCloseTo(2 * 1.82, within(0.05));
    }

    @Test
    void resNet50CostsTwiceItsPublished4Point1GigaMultiplyAdds() {
        long flops = Flops.perImage(ResNets.resnet50(1000, 1), RGB_224);

        assertThat(flops / 1e9).isCloseTo(2 * 4.09, within(0.1));
    }
}
