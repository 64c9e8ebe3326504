package org.edgenn.runtime.kernels;

import java.util.function.DoubleUnaryOperator;
import org.edgenn.runtime.quant.QuantParams;

/**
 * An element-wise int8 → int8 map as a 256-entry lookup table: any function of one value
 * (tanh, sigmoid, multiplication by a constant or a learned scalar, re-quantization to another
 * scale and zero point, clipping) becomes {@code out[i] = table[in[i] + 128]}.
 *
 * <p>The table is built once ({@link #of}): entry {@code q} is
 * {@code out.quantize(f(in.scale · (q − in.zeroPoint)))}, i.e. the real value of {@code q} in double,
 * the function in double, and the project's rounding (half away from zero, {@link QuantParams#quantize}).
 * A lookup has no arithmetic, so one scalar loop serves every backend (a gather is not faster than
 * the JIT's bounds-check-free byte loop at these sizes).
 */
public final class Lut {
    /** Entries: one per int8 value, indexed by {@code value + 128}. */
    public static final int SIZE = 256;

    private final byte[] table;

    private Lut(byte[] table) {
        this.table = table;
    }

    /** The table of {@code f} from quantization {@code in} to quantization {@code out}. */
    public static Lut of(QuantParams in, QuantParams out, DoubleUnaryOperator f) {
        byte[] t = new byte[SIZE];
        for (int q = -128; q <= 127; q++) {
            double real = (double) in.scale() * (q - in.zeroPoint());
            t[q + 128] = (byte) out.quantize(f.applyAsDouble(real));
        }
        return new Lut(t);
    }

    /** A table given entry by entry (256 bytes, indexed by {@code value + 128}). */
    public static Lut ofTable(byte[] table) {
        if (table == null || table.length != SIZE) {
            throw new IllegalArgumentException("a lookup table has " + SIZE + " entries, got " + (table == null ? 0 : table.length));
        }
        return new Lut(table.clone());
    }

    /** {@code out[i] = table[in[i] + 128]} for equal-length buffers. */
    public void run(byte[] in, byte[] out) {
        if (in.length != out.length) {
            throw new IllegalArgumentException("Lut: buffers of " + in.length + " and " + out.length + " bytes must be equal");
        }
        apply(table, in, out);
    }

    /** The lookup of a 256-entry table over whole buffers. */
    public static void apply(byte[] table, byte[] in, byte[] out) {
        for (int i = 0; i < in.length; i++) {
            out[i] = table[in[i] + 128];
        }
    }

    /** The table; do not modify. */
    public byte[] table() {
        return table;
    }

    /** The output of one input value. */
    public int map(int value) {
        return table[value + 128];
    }
}
