package io.argus.learning.pruning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sequential network and a graph seen the same way: vertices in topological order, each with
 * its inputs, its layer configuration (frozen wrappers looked through) and a copy of its
 * parameters. The configurations belong to a clone of the network's configuration, so the pruner
 * can change them and build the smaller network from {@link #build}.
 */
final class Topology {

    /** The name MultiLayerNetworks' input gets here. */
    static final String INPUT = "input";

    /**
     * @param layer  the layer configuration, or null for a vertex that is not a layer
     * @param vertex the graph vertex configuration (null in a sequential network and for inputs)
     * @param pre    the input preprocessor (flatten before a dense layer), or null
     */
    record Node(String name, int index, Layer layer, GraphVertex vertex, List<String> inputs, InputPreProcessor pre,
                Map<String, INDArray> params) {

        boolean isInput() {
            return layer == null && vertex == null;
        }
    }

    private final Model original;
    private final MultiLayerConfiguration sequential;
    private final ComputationGraphConfiguration graph;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();

    private Topology(Model original, MultiLayerConfiguration sequential, ComputationGraphConfiguration graph) {
        this.original = original;
        this.sequential = sequential;
        this.graph = graph;
    }

    static Topology of(Model net) {
        if (net instanceof MultiLayerNetwork mln) {
            return ofSequential(mln);
        }
        if (net instanceof ComputationGraph cg) {
            return ofGraph(cg);
        }
        throw new IllegalArgumentException("cannot prune a " + net.getClass().getSimpleName());
    }

    private static Topology ofSequential(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        Topology t = new Topology(net, conf, null);
        t.add(new Node(INPUT, -1, null, null, List.of(), null, Map.of()));
        String previous = INPUT;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName() != null ? layer.getLayerName() : "layer" + i;
            t.add(new Node(name, i, unwrap(layer), null, List.of(previous), conf.getInputPreProcess(i),
                    copy(net.getLayer(i).paramTable())));
            previous = name;
        }
        return t;
    }

    private static Topology ofGraph(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Topology t = new Topology(net, null, conf);
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> next = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>(conf.getNetworkInputs());
        conf.getVertices().keySet().forEach(v -> {
            List<String> in = inputs.getOrDefault(v, List.of());
            waiting.put(v, in.size());
            in.forEach(i -> next.computeIfAbsent(i, k -> new ArrayList<>()).add(v));
        });
        while (!ready.isEmpty()) {
            String v = ready.poll();
            GraphVertex vertex = conf.getVertices().get(v);
            if (vertex == null) {
                t.add(new Node(v, -1, null, null, List.of(), null, Map.of()));
            } else if (vertex instanceof LayerVertex lv) {
                t.add(new Node(v, -1, unwrap(lv.getLayerConf().getLayer()), vertex, inputs.get(v), lv.getPreProcessor(),
                        copy(net.getLayer(v).paramTable())));
            } else {
                t.add(new Node(v, -1, null, vertex, inputs.get(v), null, Map.of()));
            }
            for (String n : next.getOrDefault(v, List.of())) {
                if (waiting.merge(n, -1, Integer::sum) == 0) {
                    ready.add(n);
                }
            }
        }
        return t;
    }

    private void add(Node node) {
        nodes.put(node.name(), node);
        node.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node.name()));
    }

    /** Frozen layers are pruned like the layers they wrap (their parameters have the same names). */
    static Layer unwrap(Layer layer) {
        if (layer instanceof FrozenLayer f) {
            return unwrap(f.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop f) {
            return unwrap(f.getUnderlying());
        }
        return layer;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> params) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** Vertices in topological order, inputs first. */
    Iterable<Node> nodes() {
        return nodes.values();
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<String> consumers(String name) {
        return consumers.getOrDefault(name, List.of());
    }

    Model original() {
        return original;
    }

    /** A new network from the (changed) configurations, holding the (changed) parameters. */
    Model build() {
        if (sequential != null) {
            MultiLayerNetwork net = new MultiLayerNetwork(sequential);
            net.init();
            for (Node n : nodes.values()) {
                if (!n.isInput()) {
                    n.params().forEach((k, v) -> net.getLayer(n.index()).setParam(k,
                            v.reshape(net.getLayer(n.index()).getParam(k).shape())));
                }
            }
            return net;
        }
        ComputationGraph net = new ComputationGraph(graph);
        net.init();
        for (Node n : nodes.values()) {
            n.params().forEach((k, v) -> net.getLayer(n.name()).setParam(k,
                    v.reshape(net.getLayer(n.name()).getParam(k).shape())));
        }
        return net;
    }
}
