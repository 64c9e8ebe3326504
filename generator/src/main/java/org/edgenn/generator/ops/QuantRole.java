package org.edgenn.generator.ops;

/**
 * An op's place in the int8 pipeline: whether its output has a quantization of its own (observed in training,
 * exported as {@code act.<node>}), keeps its first input's, or has none. The quantization-aware trainer and the
 * int8 planner both read it (through {@link QuantPlacement}), so training sees the integer pipeline it will run as.
 */
public enum QuantRole {
    /** Dense or convolution: its input is quantized (by its own or its producer's observer), its output observed. */
    MAC,
    /** The output has its own quantization: the network input, sums, tables (tanh, arithmetic with a scalar), concat. */
    OBSERVED,
    /** The int8 output keeps its first input's scale and zero point (ReLU, clamp, shrink, pooling, data movement). */
    PRESERVES,
    /** No int8 quantization: losses, constants, zero states, parameters, ops without an int8 lowering. */
    NONE;

    /** True when the node has a quantization of its own. */
    public boolean observed() {
        return this == MAC || this == OBSERVED;
    }
}
