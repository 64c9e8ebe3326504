package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * The semantics of one operation, in one place: which input shapes it accepts, the output shape,
 * the weight tensors it owns and how many multiply-accumulates it performs. The language, the
 * generators and the mapper all ask the op; none of them re-derives these rules.
 */
public sealed interface Op permits Dense, Conv2d, Pool, Upsample, PixelShuffle, Concat, Flatten, Reshape,
        Elementwise, Activation, Clamp, Shrink, Project, Loss, Constant, Source, SupportSelect, DenseTransposed {

    /** Short name for tables and generated code: {@code dense}, {@code conv2d}, {@code depthwise}, ... */
    String kind();

    /** The output shape for these input shapes, or a {@link ShapeException} naming the offending input. */
    Shape outputShape(List<Shape> inputs) throws ShapeException;

    /** The weight tensors this op owns (empty for ops without weights). */
    default List<WeightSpec> weights() {
        return List.of();
    }

    /** Multiply-accumulates of one inference (batch 1); 0 for ops that do no MACs. */
    default long macs(List<Shape> inputs, Shape output) {
        return 0;
    }

    /**
     * The role of a value that enters the graph from outside ({@link Source}: input, label, parameter, zeros,
     * teacher), null for every op that computes its value. Asked instead of testing the op's class.
     */
    default Source.Role sourceRole() {
        return null;
    }

    /** True when the output is the input's buffer under another shape ({@link Flatten}, {@link Reshape}): no memory of its own. */
    default boolean isView() {
        return false;
    }

    /** The value of a scalar {@link Constant}, empty for every other op. */
    default java.util.OptionalDouble constantValue() {
        return java.util.OptionalDouble.empty();
    }

    /** True for losses and penalties: they exist for training only. */
    default boolean isLoss() {
        return false;
    }

    /**
     * The channels structured and N:M pruning act on, for layers with MAC weights: {@code outputs} (filters, output
     * features) a channel-pruned layer removes, {@code inputsPerOutput} weights one output reads along the input axis
     * (where N:M groups lie), {@code flatInputs} when the input axis is flattened features (channels x positions).
     */
    record MacChannels(int outputs, int inputsPerOutput, boolean flatInputs) {
    }

    /** This op's prunable channels ({@link MacChannels}), null for ops without MAC weights. */
    default MacChannels macChannels() {
        return null;
    }

    /**
     * True when an all-zero input channel (a pruned channel, its bias zeroed too) stays all-zero through this op, or is
     * dropped from its input axis: removing the channel then changes nothing ({@code inputs}: the op's input count).
     */
    default boolean keepsZeroChannels(int inputs) {
        return false;
    }

    /**
     * This op with its channel counts following compacted input shapes {@code in} and keeping {@code keepOutputs} of its
     * own output channels ({@code < 0}: not pruned here); an {@link IllegalArgumentException} says why that cannot be
     * done exactly. Ops without channels of their own pass through unchanged.
     */
    default Op withChannels(List<Shape> in, int keepOutputs) {
        if (keepOutputs >= 0) {
            throw new IllegalArgumentException(kind() + " has no output channels to prune");
        }
        return this;
    }

    /** Checks the number of inputs; shared by all ops. */
    static void requireInputs(String op, List<Shape> inputs, int min, int max) throws ShapeException {
        if (inputs.size() < min || inputs.size() > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw new ShapeException(op + " takes " + expected + " tensor input" + (max == 1 ? "" : "s")
                    + ", got " + inputs.size());
        }
    }

    /** Checks that input {@code index} has rank {@code rank}. */
    static void requireRank(String op, List<Shape> inputs, int index, int rank, String layout) throws ShapeException {
        Shape s = inputs.get(index);
        if (s.rank() != rank) {
            throw new ShapeException(index, op + " expects a " + layout + " input, got " + s);
        }
    }
}
