package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Quant;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Scalar;
import org.edgenn.generator.inference.plan.InferencePlan.Step;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.ir.graph.Node;

/**
 * What an op's traits may use to lower one node to int8 steps ({@link OpTraits#lower}): the tensors and scalar
 * operands lowered so far, and the plan under construction. The inference planner implements it; it walks the
 * nodes in execution order, so every input is lowered before its users.
 */
public interface LoweringContext {
    /** An inference node by name. */
    Node node(String name);

    /** True when {@code node} lowered to a scalar operand (a parameter or a constant), not a tensor. */
    boolean isScalar(String node);

    Scalar scalar(String node);

    /** The tensor holding node {@code node}'s value (its own, or the step it was folded into). */
    Tensor tensor(String node);

    default Tensor input(Node n, int i) {
        return tensor(n.inputs().get(i));
    }

    /** {@code node} becomes a scalar operand of its users. */
    void defineScalar(Node n, Scalar value);

    /**
     * Defines node {@code n}'s tensor with the quantization its op's {@link QuantRole} gives: its own observed
     * {@code act.<node>}, or its first input's when the op preserves it.
     */
    Tensor define(Node n, Role role);

    /** Defines node {@code n}'s tensor with an explicit quantization (a zero state's fixed one). */
    Tensor define(Node n, Role role, Quant quant);

    /** An intermediate buffer of a node's lowering (e.g. {@code up.nearest}), named {@code name}. */
    Tensor intermediate(String name, int[] shape, Quant quant);

    /** The quantization {@code act.<n>} observed in training for node {@code n}. */
    Quant observed(Node n);

    /** The artifact (and trainer) name of an IR node or weight. */
    String artifactName(String irName);

    /** {@code file:line} of node {@code n}, or "". */
    String where(Node n);

    /** Appends a step to the plan. */
    void add(Step step);

    /**
     * Folds the single clamp-like consumer of {@code n} (one whose traits give an {@link OpTraits#int8Clamp}) into
     * {@code n}'s output stage: returns it, its value then lives in {@code n}'s tensor; null when there is none (or
     * {@code n} is the output).
     */
    Node foldConsumer(Node n);

    /** The int8 clamp bounds of a clamp-like node ({@link OpTraits#int8Clamp}). */
    Bounds clampOf(Node n);
}
