package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;

import io.argus.common.image.InputSpec;
import io.argus.common.model.Flops;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.onnx.OnnxExporter;
import io.argus.common.onnx.OnnxParity;

/**
 * The networks the benchmark knows. The project's CNN comes from the model store (the model the
 * demo serves, pretrained on Fashion-MNIST); the ImageNet-class networks are built with random
 * weights, which cost exactly what trained ones cost.
 */
final class BenchModels {

    static final List<String> KNOWN = List.of("fashion-cnn", "resnet50", "resnet50-zoo", "resnet18", "squeezenet",
            "vgg16");

    private final Path store;
    private final String storedName;

    BenchModels(Path store, String storedName) {
        this.store = store;
        this.storedName = storedName;
    }

    BenchModel load(String name, Consumer<String> progress) throws IOException {
        progress.accept("building " + name + " and exporting it to ONNX ...");
        return switch (name) {
            case "fashion-cnn" -> projectCnn();
            case "resnet50" -> withOnnx(name, "ResNet-50 (torchvision layout), random init",
                    ResNets.resnet50(1000, 1), InputSpec.imageNet(224, 224));
            // The zoo's default init makes ResNet-50 produce NaN; He (ReLU) init does not.
            case "resnet50-zoo" -> withOnnx(name, "DL4J zoo ResNet-50 (strides in stage 1), random (ReLU) init",
                    ResNet50.builder().numClasses(1000).seed(1).weightInit(new WeightInitRelu()).build().init(),
                    InputSpec.imageNet(224, 224));
            case "resnet18" -> withOnnx(name, "ResNet-18 (torchvision layout), random init", ResNets.resnet18(1000, 1),
                    InputSpec.imageNet(224, 224));
            case "squeezenet" -> withOnnx(name, "DL4J zoo SqueezeNet 1.1, random init",
                    SqueezeNet.builder().numClasses(1000).seed(1).build().init(), InputSpec.imageNet(227, 227));
            case "vgg16" -> withOnnx(name, "DL4J zoo VGG-16, random init",
                    VGG16.builder().numClasses(1000).seed(1).build().init(), InputSpec.imageNet(224, 224));
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: " + KNOWN);
        };
    }

    private BenchModel projectCnn() throws IOException {
        ModelStore models = new ModelStore(store);
        StoredModel stored = models.list(storedName).stream()
                .filter(m -> m.manifest().provenance() != null
                        && "fashion-cnn".equals(m.manifest().provenance().architecture()))
                .max(Comparator.comparingInt(m -> m.manifest().version()))
                .orElseThrow(() -> new IllegalStateException("no model '" + storedName + "' of the project's CNN in "
                        + store + ": run ./argus pretrain first (./argus bench does when the store is empty)"));
        ModelBundle bundle = models.load(stored);
        String source = stored.id() + " from " + store + " (" + bundle.manifest().provenance().dataset() + ")";
        if (bundle.hasOnnx()) {
            double error = OnnxParity.relativeError(bundle.network(), bundle.onnx(), bundle.manifest().inputSpec(), 4,
                    7);
            return new BenchModel("fashion-cnn", source, bundle.network(), bundle.manifest().inputSpec(),
                    Flops.perImage(bundle.network(), bundle.manifest().inputSpec()), bundle.onnx(), error,
                    bundle.manifest().driftReference(), bundle.manifest().ood());
        }
        BenchModel exported = withOnnx("fashion-cnn", source + ", exported now", bundle.network(),
                bundle.manifest().inputSpec());
        return new BenchModel(exported.name(), exported.source(), exported.network(), exported.spec(),
                exported.flopsPerImage(), exported.onnx(), exported.parityError(), bundle.manifest().driftReference(),
                bundle.manifest().ood());
    }

    static BenchModel withOnnx(String name, String source, Model network, InputSpec spec) {
        byte[] onnx = OnnxExporter.export(network, spec);
        double error = OnnxParity.relativeError(network, onnx, spec, 2, 7);
        return new BenchModel(name, source, network, spec, Flops.perImage(network, spec), onnx, error, null, null);
    }
}
