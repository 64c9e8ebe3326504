package org.edgenn.runtime.hw;

import org.edgenn.runtime.quant.RequantMode;

/**
 * The arithmetic of an accelerator, as far as results are concerned: activation operands of up to
 * {@code operandBits} bits (8, or 16 for an accelerator whose MACs take 16-bit activations), a signed accumulator of
 * {@code accumulatorBits} bits (2..64) that saturates on overflow, and a requantization unit working in
 * {@code requantMode}. (Array size, memories and energy belong to the cost model, not here.) The generator fills it
 * from the IR's {@code org.edgenn.ir.accel.AcceleratorSpec} (its {@code mac intN accumulator intM}) and the network's
 * requantization mode; runtime-core does not depend on the IR so that it stays a tiny edge library.
 */
public record AcceleratorArithmetic(String name, int operandBits, int accumulatorBits, RequantMode requantMode) {
    public AcceleratorArithmetic {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("accelerator needs a name");
        if (operandBits < 2 || operandBits > 16) {
            throw new IllegalArgumentException("operand width must be in [2, 16] bits, got " + operandBits);
        }
        if (accumulatorBits < 2 || accumulatorBits > 64) {
            throw new IllegalArgumentException("accumulator width must be in [2, 64] bits, got " + accumulatorBits);
        }
        if (requantMode == null) throw new IllegalArgumentException("requantization mode missing");
    }

    /** 8-bit activation operands. */
    public AcceleratorArithmetic(String name, int accumulatorBits, RequantMode requantMode) {
        this(name, 8, accumulatorBits, requantMode);
    }

    /** A 32-bit accumulator with TFLite's default double rounding. */
    public static AcceleratorArithmetic int32(String name) {
        return new AcceleratorArithmetic(name, 32, RequantMode.DOUBLE_ROUNDING);
    }
}
