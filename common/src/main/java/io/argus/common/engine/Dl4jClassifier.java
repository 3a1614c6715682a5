package io.argus.common.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        try (INDArray x = batch(input, count)) {
            INDArray out = network instanceof MultiLayerNetwork mln ? mln.output(x, false)
                    : ((ComputationGraph) network).outputSingle(false, x);
            try (out) {
                return out.toFloatMatrix();
            }
        }
    }

    /** Probabilities and the embedding, from one pass that keeps every layer's activations. */
    @Override
    public synchronized Forward forward(float[] input, int count) {
        Activations a = activations(network, batch(input, count));
        return new Forward(a.output().toFloatMatrix(), a.embedding() == null ? null
                : a.embedding().reshape(count, -1).toFloatMatrix());
    }

    /**
     * The activations the last layer of {@code network} reads for {@code x}, one row per image
     * (flattened): what the ONNX graph's embedding output holds. Null when the last layer reads
     * more than one vertex.
     */
    public static INDArray embedding(Model network, INDArray x) {
        INDArray e = activations(network, x).embedding();
        return e == null ? null : e.reshape(x.size(0), -1);
    }

    private record Activations(INDArray output, INDArray embedding) {
    }

    // feedForward keeps the input and every layer's activations in the network until clear():
    // the input is not closed here (a later pass would touch it), and the network is cleared.
    private static Activations activations(Model network, INDArray x) {
        if (network instanceof MultiLayerNetwork mln) {
            List<INDArray> all = mln.feedForward(x, false); // the input, then each layer's output
            mln.clear();
            return new Activations(all.get(all.size() - 1), all.get(all.size() - 2));
        }
        ComputationGraph graph = (ComputationGraph) network;
        String out = graph.getConfiguration().getNetworkOutputs().get(0);
        List<String> reads = graph.getConfiguration().getVertexInputs().get(out);
        Map<String, INDArray> all = graph.feedForward(x, false);
        graph.clear();
        return new Activations(all.get(out), reads != null && reads.size() == 1 ? all.get(reads.get(0)) : null);
    }

    private INDArray batch(float[] input, int count) {
        int size = inputSpec().size();
        if (input.length < (long) count * size) {
            throw new IllegalArgumentException("input holds " + input.length + " floats, " + count + " images need "
                    + (long) count * size);
        }
        float[] data = input.length == count * size ? input : Arrays.copyOf(input, count * size);
        return Nd4j.create(data, batchShape(count), 'c');
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
