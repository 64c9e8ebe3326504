package org.edgenn.runtime.hw;

import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.RequantMode;

/**
 * The arithmetic of an accelerator, as far as results are concerned: activation operands of up to
 * {@code operandBits} bits (8, or 16 for an accelerator whose MACs take 16-bit activations), a signed accumulator of
 * {@code accumulatorBits} bits (2..64, e.g. 12 or 24) that saturates on overflow, or wraps ({@code wraps}), and a requantization unit working in
 * {@code requantMode}. (Array size, memories and energy belong to the cost model, not here.) The generator fills it
 * from the IR's {@code org.edgenn.ir.accel.AcceleratorSpec} (its {@code mac intN accumulator intM}) and the network's
 * requantization mode; runtime-core does not depend on the IR so that it stays a tiny edge library.
 */
public record AcceleratorArithmetic(String name, int operandBits, int accumulatorBits, RequantMode requantMode,
                                    boolean wraps) {
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

    /** Saturating accumulators. */
    public AcceleratorArithmetic(String name, int operandBits, int accumulatorBits, RequantMode requantMode) {
        this(name, operandBits, accumulatorBits, requantMode, false);
    }

    /**
     * A sum at the accumulator width: saturated, or wrapped (two's complement) when the accelerator declares
     * {@code accumulator intM wrap}.
     */
    public long fit(long v) {
        return fit(v, accumulatorBits);
    }

    /** A sum at {@code bits} (a stored partial sum's width), with this accelerator's overflow behaviour. */
    public long fit(long v, int bits) {
        return wraps ? QuantMath.wrapToBits(v, bits) : QuantMath.saturateToBits(v, bits);
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
