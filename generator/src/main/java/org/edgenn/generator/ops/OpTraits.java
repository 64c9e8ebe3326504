package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Op;
import org.edgenn.runtime.cost.Workload;

/**
 * Everything a backend asks about one IR op class, in one place (TVM's registered op attributes): its role in the
 * int8 pipeline, its loop nest on the accelerator, how it lowers to int8 steps, its SameDiff training code and its
 * int8 clamp semantics. One implementation per op class ({@code DenseTraits}, {@code Conv2dTraits}, ...), registered in
 * {@link OpTraitsRegistry}; a backend dispatches through the registry and never lists ops itself. The IR record keeps
 * what is the op's alone (shape rule, weights, MACs). {@code docs/architecture.md} ("Adding an op") walks through one.
 *
 * @param <O> the IR op class
 */
public interface OpTraits<O extends Op> {

    /** The IR op class these traits describe. */
    Class<O> opClass();

    /** Where the op's output gets its int8 quantization ({@link QuantPlacement}). */
    QuantRole quantRole(O op);

    /**
     * The node's loop nest on the accelerator, or null when it costs nothing there: views (flatten, reshape, concat:
     * producers write into the concatenated buffer), values from outside (sources, constants, loaded by their first
     * consumer) and training-only ops (losses).
     */
    Workload workload(O op, Node n, WorkloadBits bits);

    /**
     * Writes the node's SameDiff statement into a generated trainer. Called for every node the trainer computes
     * (inputs, labels and parameters are placeholders and variables the trainer declares itself).
     */
    void emitTraining(O op, TrainingEmission out);

    /**
     * Lowers node {@code n} to int8 steps of the inference plan through {@code ctx}, or says why it cannot
     * ({@link Lowering#unsupported}). Inputs are lowered already; a scalar input reaches here only where
     * {@link #takesScalar} allows it.
     */
    Lowering lower(O op, Node n, LoweringContext ctx);

    /**
     * True when the trainer's SameDiff call takes a scalar {@code Constant} input as a literal
     * ({@link TrainingEmission#inlineConstant}); such a constant then gets no variable of its own.
     */
    default boolean inlinesScalarConstants(O op) {
        return false;
    }

    /**
     * The held-out metric this op asks the trainer to report, on its first input ({@code accuracy} for a
     * cross-entropy loss on logits), or null: the trainer then picks by the output's shape.
     */
    default String trainingMetric(O op) {
        return null;
    }

    /** True when input {@code input} may be a scalar operand (a parameter or constant) rather than a tensor. */
    default boolean takesScalar(O op, int input) {
        return false;
    }

    /**
     * True when input {@code input} is a threshold: a parameter there trains as {@code softplus(raw)} (non-negative by
     * construction, {@code Shrink.thetaParam}) and is exported as the effective threshold.
     */
    default boolean takesThreshold(O op, int input) {
        return false;
    }

    /**
     * Hardware semantics: when the op is a clamp in the int8 domain (ReLU, ReLU6, clamp, box and non-negative
     * projections), its real bounds, which the accelerator's output stage applies when the op is folded into the MAC
     * or sum it follows; null otherwise.
     */
    default Bounds int8Clamp(O op) {
        return null;
    }
}
