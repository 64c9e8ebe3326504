package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
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
                op = rewrite(op, in, prunedHere ? p.fraction() : 0);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(prunedHere ? layer : from, e.getMessage()));
                return new Result(network, problems);
            }
            if (changedInput && !keepsZeros(n.op(), n.inputs().size())) {
                problems.add(new Problem(from, "the pruned channels of " + from + " reach " + n.op().kind() + " " + n.name()
                        + ", which does not keep zero channels zero: they could not be removed exactly"));
                return new Result(network, problems);
            }
            String producer = n.inputs().stream().map(originWeight::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (changedInput && (op instanceof Conv2d conv && !conv.isDepthwise() || op instanceof Dense)) {
                Op producerOp = network.node(producerNode(network, producer)).op();
                int declaredChannels = producerOp instanceof Conv2d pc ? pc.out() : ((Dense) producerOp).out();
                edges.add(op instanceof Dense d
                        ? new Edge(producer, n.weights().get(0), true, ((Dense) n.op()).in() / declaredChannels)
                        : new Edge(producer, n.weights().get(0), false, 1));
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

    /**
     * Ops a pruned (all-zero, bias zeroed too) channel may pass through and stay all-zero, so that removing it changes
     * nothing: ReLU, ReLU6, tanh, pooling, flatten, thresholds and up-sampling map 0 to 0 per channel; a convolution or
     * dense layer reading it is where the channel's contribution (zero) is dropped from the input axis.
     */
    private static boolean keepsZeros(Op op, int inputs) {
        if (op instanceof Conv2d conv) {
            return !conv.isDepthwise();
        }
        if (op instanceof org.edgenn.ir.ops.Activation a) {
            return a.function() != org.edgenn.ir.ops.Activation.Kind.SIGMOID && a.function() != org.edgenn.ir.ops.Activation.Kind.SOFTMAX;
        }
        return op instanceof Dense || op instanceof org.edgenn.ir.ops.Pool || op instanceof org.edgenn.ir.ops.Flatten
                || op instanceof org.edgenn.ir.ops.Shrink && inputs <= 2 || op instanceof org.edgenn.ir.ops.Upsample;
    }

    /** The op with its channel counts following its (possibly compacted) input and its own pruned share {@code s}. */
    private static Op rewrite(Op op, List<Shape> in, double s) {
        if (op instanceof Conv2d conv) {
            int inC = in.get(0).rank() == 3 ? in.get(0).dim(0) : conv.in();
            if (conv.isDepthwise()) {
                if (s > 0) {
                    throw new IllegalArgumentException("a depthwise layer's channels follow its input: prune the layer before it");
                }
                if (inC != conv.in() && conv.out() != conv.in()) {
                    throw new IllegalArgumentException("a depthwise layer with a channel multiplier cannot follow a channel-pruned layer");
                }
                return inC == conv.in() ? conv : new Conv2d(inC, inC, conv.window(), inC, conv.bias());
            }
            if (conv.groups() != 1 && (s > 0 || inC != conv.in())) {
                throw new IllegalArgumentException("grouped convolutions cannot be channel-pruned");
            }
            int out = s > 0 ? kept(conv.out(), s) : conv.out();
            return inC == conv.in() && out == conv.out() ? conv : new Conv2d(inC, out, conv.window(), 1, conv.bias());
        }
        if (op instanceof Dense d) {
            int inF = in.get(0).rank() == 1 ? in.get(0).dim(0) : d.in();
            int out = s > 0 ? kept(d.out(), s) : d.out();
            return inF == d.in() && out == d.out() ? d : new Dense(inF, out, d.bias());
        }
        if (s > 0) {
            throw new IllegalArgumentException(op.kind() + " has no output channels to prune");
        }
        return op;
    }
}
