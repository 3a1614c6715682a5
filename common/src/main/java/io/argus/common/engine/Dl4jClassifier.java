package io.argus.common.engine;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelId;
import io.argus.common.image.InputSpec;
import io.argus.common.nd4j.OneDnn;
import java.util.Arrays;

/** An {@link ImageClassifier} running a DL4J network (MultiLayerNetwork or ComputationGraph). */
public final class Dl4jClassifier extends EngineClassifier {

    private final Model network;

    public Dl4jClassifier(ModelId id, InputSpec spec, List<String> labels, Model network) {
        super(id, spec, labels);
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("unsupported DL4J model type " + network.getClass().getName());
        }
        this.network = network;
    }

    public static Dl4jClassifier of(ModelBundle bundle) {
        BundleManifest m = bundle.manifest();
        return new Dl4jClassifier(new ModelId(m.name(), m.version()), m.inputSpec(), m.labels(), bundle.network());
    }

    @Override
    public String engine() {
        return OneDnn.active() ? "dl4j (oneDNN)" : "dl4j";
    }

    // DL4J networks keep per-call state (inputs, workspaces): one forward pass at a time.
    @Override
    public synchronized float[][] classify(float[] input, int count) {
        int size = inputSpec().size();
        if (input.length < (long) count * size) {
            throw new IllegalArgumentException("input holds " + input.length + " floats, " + count + " images need "
                    + (long) count * size);
        }
        float[] data = input.length == count * size ? input : Arrays.copyOf(input, count * size);
        try (INDArray x = Nd4j.create(data, batchShape(count), 'c')) {
            INDArray out = network instanceof MultiLayerNetwork mln ? mln.output(x, false)
                    : ((ComputationGraph) network).outputSingle(false, x);
            try (out) {
                return out.toFloatMatrix();
            }
        }
    }

    @Override
    public void close() {
        if (network instanceof MultiLayerNetwork mln) {
            mln.close();
        } else {
            ((ComputationGraph) network).close();
        }
    }
}
