package io.argus.learning.transfer;

import java.util.List;
import java.util.Optional;

import io.argus.common.image.InputSpec;

/**
 * What transfer learning needs to know about a network family: its input, the layer whose
 * outputs are the classes ({@code head}), the last layer of the feature extractor (frozen by the
 * {@code frozen} strategy and in phase one of {@code finetune}), and the last layer still frozen
 * in phase two of {@code finetune} (everything above it, the top block(s), is trained at the
 * lower learning rate).
 */
public record Architecture(String name, InputSpec input, String head, String featureExtractorEnd,
                           String fineTuneFrozenEnd) {

    /** The project's own CNN (see FashionCnn): conv blocks frozen, fc + output trained; then conv2 too. */
    public static final Architecture FASHION_CNN =
            new Architecture("fashion-cnn", InputSpec.grey(28, 28), "output", "pool2", "pool1");

    // DL4J zoo models, vertex names as in their zoo configurations. Inputs follow DL4J's
    // VGG16ImagePreProcessor (RGB, per-channel mean subtracted on 0..255, no scaling).
    private static final List<Double> VGG_MEAN = List.of(123.68 / 255, 116.779 / 255, 103.939 / 255);
    private static final List<Double> VGG_STD = List.of(1 / 255.0, 1 / 255.0, 1 / 255.0);

    /** SqueezeNet 1.1: fire modules; conv10 (1x1, one channel per class) is the head. */
    public static final Architecture SQUEEZENET =
            new Architecture("squeezenet", new InputSpec(227, 227, 3, VGG_MEAN, VGG_STD), "conv10", "drop9", "fire8");

    /** ResNet-50: stage 5's last block is the top block. */
    public static final Architecture RESNET50 =
            new Architecture("resnet50", new InputSpec(224, 224, 3, VGG_MEAN, VGG_STD), "output", "avgpool",
                    "res5b_branch");

    /** VGG16: layers named by index; 18 and 19 are the dense layers, 20 the output. */
    public static final Architecture VGG16 =
            new Architecture("vgg16", new InputSpec(224, 224, 3, VGG_MEAN, VGG_STD), "20", "19", "17");

    public static final List<Architecture> KNOWN = List.of(FASHION_CNN, SQUEEZENET, RESNET50, VGG16);

    public static Optional<Architecture> named(String name) {
        return KNOWN.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
