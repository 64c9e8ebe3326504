package org.edgenn.runtime.hw;

import org.edgenn.runtime.quant.RequantMode;

/**
 * The arithmetic of an accelerator, as far as results are concerned: int8 operands, a signed
 * accumulator of {@code accumulatorBits} bits (2..32) that saturates on overflow, and a
 * requantization unit working in {@code requantMode}. (Array size, memories and energy belong
 * to the cost model, not here.) The generator fills it from the IR's
 * {@code org.edgenn.ir.accel.AcceleratorSpec#accumulatorBits()} and the network's requantization
 * mode; runtime-core does not depend on the IR so that it stays a tiny edge library.
 */
public record AcceleratorArithmetic(String name, int accumulatorBits, RequantMode requantMode) {
    public AcceleratorArithmetic {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("accelerator needs a name");
        if (accumulatorBits < 2 || accumulatorBits > 32) {
            throw new IllegalArgumentException("accumulator width must be in [2, 32] bits, got " + accumulatorBits);
        }
        if (requantMode == null) throw new IllegalArgumentException("requantization mode missing");
    }

    /** A 32-bit accumulator with TFLite's default double rounding. */
    public static AcceleratorArithmetic int32(String name) {
        return new AcceleratorArithmetic(name, 32, RequantMode.DOUBLE_ROUNDING);
    }
}
