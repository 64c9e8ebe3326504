package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ops.Source;

/**
 * Per-layer parameter and MAC counts of a network's inference graph. A weight is counted at the
 * first node that uses it, so tied weights count once; parameter tensors (thresholds) count at
 * the node that consumes them.
 */
public record LayerStats(String name, String kind, Shape shape, long params, long macs, int step) {

    public static List<LayerStats> of(Network network) {
        List<LayerStats> rows = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        List<Node> nodes = network.inferenceNodes();
        for (Node n : nodes) {
            if (n.op().sourceRole() != null || n.op().constantValue().isPresent()) {
                continue;
            }
            long params = newWeights(network, n, counted);
            for (String in : n.inputs()) {
                Node producer = network.node(in);
                if (producer.op().sourceRole() == Source.Role.PARAM) {
                    params += newWeights(network, producer, counted);
                }
            }
            List<Shape> inShapes = n.inputs().stream().map(i -> network.node(i).shape()).toList();
            rows.add(new LayerStats(n.name(), n.op().kind(), n.shape(), params, n.op().macs(inShapes, n.shape()), n.step()));
        }
        return rows;
    }

    private static long newWeights(Network network, Node n, Set<String> counted) {
        long params = 0;
        for (String w : n.weights()) {
            if (counted.add(w)) {
                params += network.weight(w).shape().size();
            }
        }
        return params;
    }

    public static long totalMacs(List<LayerStats> rows) {
        return rows.stream().mapToLong(LayerStats::macs).sum();
    }

    public static long totalParams(List<LayerStats> rows) {
        return rows.stream().mapToLong(LayerStats::params).sum();
    }
}
