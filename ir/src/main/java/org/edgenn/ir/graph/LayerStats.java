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
 * the node that consumes them. Counted on the compact network: a channel-pruned layer and its consumers have their
 * kept channels only ({@link ChannelPruning}). {@code nonZeroParams} leaves out the weights unstructured and N:M
 * pruning zero (dense figure: {@code params}; effective: {@code nonZeroParams}).
 */
public record LayerStats(String name, String kind, Shape shape, long params, long macs, int step, long nonZeroParams) {

    public LayerStats(String name, String kind, Shape shape, long params, long macs, int step) {
        this(name, kind, shape, params, macs, step, params);
    }

    public static List<LayerStats> of(Network declared) {
        Network network = ChannelPruning.compact(declared).network();
        List<LayerStats> rows = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        List<Node> nodes = network.inferenceNodes();
        for (Node n : nodes) {
            if (n.op().sourceRole() != null || n.op().constantValue().isPresent()) {
                continue;
            }
            long[] params = newWeights(network, n, counted);
            for (String in : n.inputs()) {
                Node producer = network.node(in);
                if (producer.op().sourceRole() == Source.Role.PARAM) {
                    long[] p = newWeights(network, producer, counted);
                    params[0] += p[0];
                    params[1] += p[1];
                }
            }
            List<Shape> inShapes = n.inputs().stream().map(i -> network.node(i).shape()).toList();
            rows.add(new LayerStats(n.name(), n.op().kind(), n.shape(), params[0], n.op().macs(inShapes, n.shape()), n.step(),
                    params[1]));
        }
        return rows;
    }

    /** {dense, non-zero} elements of the node's weights not counted yet. */
    private static long[] newWeights(Network network, Node n, Set<String> counted) {
        long[] params = new long[2];
        for (String w : n.weights()) {
            if (counted.add(w)) {
                Weight weight = network.weight(w);
                params[0] += weight.shape().size();
                params[1] += nonZeros(network, weight);
            }
        }
        return params;
    }

    /**
     * Elements of {@code w} left non-zero by its pruning: unstructured keeps {@code N - floor(s N)} (the trainer's mask
     * count), N:M keeps {@code n/m} of them; biases, parameters and channel-pruned weights (already compact) keep all.
     */
    public static long nonZeros(Network network, Weight w) {
        long size = w.shape().size();
        if (network.compression() == null || !"weight".equals(w.role()) || !w.trainable()) {
            return size;
        }
        org.edgenn.ir.spec.Compression.Pruning p = network.compression().pruningOf(w.layer());
        if (p == null) {
            return size;
        }
        return switch (p.structure()) {
            case UNSTRUCTURED -> size - (long) Math.floor(p.fraction() * size + 1e-9);
            case N_M -> size / p.m() * p.n();
            case CHANNELS -> size;
        };
    }

    public static long totalNonZeroParams(List<LayerStats> rows) {
        return rows.stream().mapToLong(LayerStats::nonZeroParams).sum();
    }

    public static long totalMacs(List<LayerStats> rows) {
        return rows.stream().mapToLong(LayerStats::macs).sum();
    }

    public static long totalParams(List<LayerStats> rows) {
        return rows.stream().mapToLong(LayerStats::params).sum();
    }
}
