package io.argus.learning.pruning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Finds the pruning units of a network: convolutions joined by the residual adds their outputs
 * meet in (through batch norm, activations and pooling), and for each unit whether every layer
 * its channels reach can follow a pruning.
 */
final class ChannelGroups {

    private final Topology topology;
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, PruningUnit> unitOf = new LinkedHashMap<>();

    private ChannelGroups(Topology topology) {
        this.topology = topology;
        for (Topology.Node n : topology.nodes()) {
            if (Kind.of(n) == Kind.ELEMENT_WISE) {
                n.inputs().forEach(i -> union(n.name(), source(i)));
            }
        }
        Map<String, List<Topology.Node>> members = new LinkedHashMap<>();
        for (Topology.Node n : topology.nodes()) {
            if (Kind.of(n) == Kind.CONVOLUTION || parent.containsKey(n.name())) {
                members.computeIfAbsent(find(n.name()), k -> new ArrayList<>()).add(n);
            }
        }
        for (List<Topology.Node> group : members.values()) {
            List<String> convolutions = group.stream().filter(n -> Kind.of(n) == Kind.CONVOLUTION)
                    .map(Topology.Node::name).toList();
            if (convolutions.isEmpty()) {
                continue;
            }
            Set<String> names = new HashSet<>(group.stream().map(Topology.Node::name).toList());
            String blocked = null;
            for (Topology.Node n : group) {
                Kind kind = Kind.of(n);
                if (kind != Kind.CONVOLUTION && kind != Kind.ELEMENT_WISE) {
                    blocked = "its residual adds also take '" + n.name() + "' (" + Kind.type(n)
                            + "), whose channels cannot be pruned with it";
                    break;
                }
                blocked = blockedDownstream(n.name(), names);
                if (blocked != null) {
                    break;
                }
            }
            long filters = ((ConvolutionLayer) group.stream().filter(n -> Kind.of(n) == Kind.CONVOLUTION).findFirst()
                    .orElseThrow().layer()).getNOut();
            PruningUnit unit = new PruningUnit(convolutions, (int) filters, blocked);
            convolutions.forEach(c -> unitOf.put(c, unit));
        }
    }

    static ChannelGroups of(Topology topology) {
        return new ChannelGroups(topology);
    }

    /** Every unit, in topological order of its first convolution. */
    List<PruningUnit> units() {
        return unitOf.values().stream().distinct().toList();
    }

    /** The unit of a convolution layer. */
    PruningUnit unitOf(String convolution) {
        return unitOf.get(convolution);
    }

    /** Where the channels of {@code name} come from: back through layers that leave channels alone. */
    private String source(String name) {
        Topology.Node n = topology.node(name);
        while (Kind.of(n) == Kind.BATCH_NORM || Kind.of(n) == Kind.PASS_THROUGH) {
            n = topology.node(n.inputs().get(0));
        }
        return n.name();
    }

    /** The first consumer that could not follow a pruning of {@code name}'s channels, described, or null. */
    private String blockedDownstream(String name, Set<String> group) {
        for (String c : topology.consumers(name)) {
            Topology.Node n = topology.node(c);
            String blocked = switch (Kind.of(n)) {
                case CONVOLUTION -> null;
                case BATCH_NORM, PASS_THROUGH, CONCAT -> blockedDownstream(c, group);
                case ELEMENT_WISE -> group.contains(c) ? null
                        : "its channels reach the element-wise vertex '" + c + "' through a concatenation";
                case DENSE -> n.pre() == null || n.pre() instanceof CnnToFeedForwardPreProcessor f
                        && f.getFormat() == CNN2DFormat.NCHW ? null
                        : "its channels reach '" + c + "' through " + n.pre().getClass().getSimpleName();
                default -> "its channels reach '" + c + "' (" + Kind.type(n) + "), which pruning does not support";
            };
            if (blocked != null) {
                return blocked;
            }
        }
        return null;
    }

    private String find(String x) {
        String p = parent.getOrDefault(x, x);
        if (p.equals(x)) {
            return x;
        }
        String root = find(p);
        parent.put(x, root);
        return root;
    }

    private void union(String a, String b) {
        parent.putIfAbsent(a, a);
        parent.putIfAbsent(b, b);
        String ra = find(a);
        String rb = find(b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }
}
