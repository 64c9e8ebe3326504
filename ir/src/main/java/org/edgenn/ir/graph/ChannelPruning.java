package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.WeightSpec;
import org.edgenn.ir.spec.Compression;

/**
 * Structured pruning shrinks the network: a layer pruned {@code s} of its output channels ({@code prune 50% channels
 * on c1}) keeps {@code C - floor(s C)} of them (the count the trainer's channel mask zeroes is the same), so the
 * inference network has the smaller layer, and every consumer of its output sees fewer input channels (a
 * convolution fewer input channels, a dense layer after {@code flatten} fewer features, point-wise ops, pooling and
 * depthwise convolutions fewer channels). Which channels survive is the trainer's decision; how many is known from
 * the text, so parameter and MAC counts, the mapping and the generated inference code all see the compact network.
 *
 * <p>Compaction changes only shapes, never what a node computes on the kept channels. Where that cannot hold it is a
 * {@link Problem} instead (reported at the {@code prune} line): pruning a network output's channels, a depthwise or
 * grouped layer's own channels, a reshape or pixel shuffle of a compacted tensor, an add of tensors compacted
 * differently, a tied weight used with two different shapes.
 */
public final class ChannelPruning {
    private ChannelPruning() {
    }

    /** Why declared layer {@code layer} cannot be pruned as declared; {@code nmGroups}: N:M groups do not fit it. */
    public record Problem(String layer, String message, boolean nmGroups) {
        public Problem(String layer, String message) {
            this(layer, message, false);
        }
    }

    /**
     * A MAC layer that reads the channels of a channel-pruned layer: the exporter gathers the kept channels of
     * {@code producerWeight} (its last training axis) out of {@code consumerWeight}'s input axis. {@code spatial} is the
     * number of features per channel when a dense layer reads them through {@code flatten} ({@code H x W}), 1 for a
     * convolution.
     */
    public record Edge(String producerWeight, String consumerWeight, boolean dense, int spatial) {
    }

    /**
     * The compact network (the declared one when nothing is channel-pruned or a problem was found), the weights pruned
     * by channel with their biases ({@code prunedBiases}: weight name to its bias, or absent), and the consumers.
     */
    public record Result(Network network, List<Problem> problems, Map<String, String> pruned, List<Edge> edges) {
        public Result {
            problems = List.copyOf(problems);
            pruned = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pruned));
            edges = List.copyOf(edges);
        }

        Result(Network network, List<Problem> problems) {
            this(network, problems, Map.of(), List.of());
        }
    }

    /** Output channels kept of {@code channels} when a fraction {@code s} is pruned (the trainer's mask count). */
    public static int kept(int channels, double s) {
        return channels - (int) Math.floor(s * channels + 1e-9);
    }

    public static Result compact(Network network) {
        Compression c = network.compression();
        if (c == null || c.pruning().stream().noneMatch(p -> p.structure() == Compression.Pruning.Structure.CHANNELS)) {
            return new Result(network, List.of());
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, Shape> shapes = new HashMap<>();
        // the declared layer a compacted tensor's channels come from, to name it in problems
        Map<String, String> origin = new HashMap<>();
        // the pruned weight a compacted tensor's channels come from, and its declared channel count
        Map<String, String> originWeight = new HashMap<>();
        Map<String, String> pruned = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        Map<String, Shape> weightShapes = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : network.nodes()) {
            if (n.trainingOnly() || n.op().isLoss()) {
                continue; // losses are training's; inference and cost see the compact graph
            }
            List<Shape> in = n.inputs().stream().map(i -> shapes.getOrDefault(i, network.node(i).shape())).toList();
            String from = n.inputs().stream().map(origin::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            boolean changedInput = from != null;
            String layer = n.weights().isEmpty() ? null : network.weight(n.weights().get(0)).layer();
            Compression.Pruning p = layer == null ? null : c.pruningOf(layer);
            boolean prunedHere = p != null && p.structure() == Compression.Pruning.Structure.CHANNELS;
            Op op = n.op();
            try {
                op = op.withChannels(in, prunedHere ? kept(op.macChannels() == null ? 0 : op.macChannels().outputs(), p.fraction()) : -1);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(prunedHere ? layer : from, e.getMessage()));
                return new Result(network, problems);
            }
            if (changedInput && !n.op().keepsZeroChannels(n.inputs().size())) {
                problems.add(new Problem(from, "the pruned channels of " + from + " reach " + n.op().kind() + " " + n.name()
                        + ", which does not keep zero channels zero: they could not be removed exactly"));
                return new Result(network, problems);
            }
            String producer = n.inputs().stream().map(originWeight::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            Op.MacChannels reads = n.op().macChannels();
            if (changedInput && reads != null) {
                // the consumer's weights lose the pruned channels along their input axis (flattened: per position)
                int declaredChannels = network.node(producerNode(network, producer)).op().macChannels().outputs();
                edges.add(new Edge(producer, n.weights().get(0), reads.flatInputs(),
                        reads.flatInputs() ? reads.inputsPerOutput() / declaredChannels : 1));
            }
            Shape out;
            try {
                out = op.outputShape(in);
            } catch (ShapeException e) {
                problems.add(new Problem(from, "pruning the channels of " + from + " breaks " + n.name() + ": " + e.getMessage()));
                return new Result(network, problems);
            }
            List<WeightSpec> specs = op.weights();
            for (int i = 0; i < n.weights().size() && i < specs.size(); i++) {
                Shape previous = weightShapes.putIfAbsent(n.weights().get(i), specs.get(i).shape());
                if (previous != null && !previous.equals(specs.get(i).shape())) {
                    problems.add(new Problem(layer, "weight " + n.weights().get(i) + " is shared by steps that see "
                            + previous + " and " + specs.get(i).shape() + " after channel pruning"));
                    return new Result(network, problems);
                }
            }
            if (prunedHere) {
                String bias = n.weights().size() > 1 ? n.weights().get(1) : null;
                pruned.put(n.weights().get(0), bias);
            }
            if (!out.equals(n.shape())) {
                shapes.put(n.name(), out);
                origin.put(n.name(), prunedHere ? layer : from);
                originWeight.put(n.name(), prunedHere ? n.weights().get(0) : producer);
            }
            nodes.add(new Node(n.name(), op, n.inputs(), out, n.weights(), n.step(), n.trainingOnly(), n.source()));
        }
        for (String o : network.outputs()) {
            if (shapes.containsKey(o)) {
                problems.add(new Problem(origin.get(o), "pruning the channels of " + origin.get(o) + " changes the output "
                        + o + " from " + network.node(o).shape() + " to " + shapes.get(o)));
                return new Result(network, problems);
            }
        }
        List<Weight> weights = new ArrayList<>();
        for (Weight w : network.weights()) {
            Shape s = weightShapes.getOrDefault(w.name(), w.shape());
            weights.add(new Weight(w.name(), w.layer(), w.role(), s, w.trainable(), w.init()));
        }
        return new Result(new Network(network.name(), network.javaPackage(), nodes, weights, network.outputs(), null,
                network.compression(), network.source()), problems, pruned, edges);
    }

    /** The node whose first weight is {@code weight}. */
    private static String producerNode(Network network, String weight) {
        for (Node n : network.nodes()) {
            if (!n.weights().isEmpty() && n.weights().get(0).equals(weight)) {
                return n.name();
            }
        }
        throw new IllegalStateException("no node owns weight " + weight);
    }
}
