package org.edgenn.runtime.kernels;

import java.util.function.DoubleUnaryOperator;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.tensor.ActivationBytes;

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
 *
 * <p>The output may be 16-bit ({@code out.bits() == 16}: e.g. an 8-bit update rescaled into a 16-bit state): the table
 * then holds 256 16-bit entries, two bytes each ({@link ActivationBytes}, 512 bytes), and the output buffer two bytes
 * per value. The input is always 8-bit (a 16-bit input would need 65,536 entries).
 */
public final class Lut {
    /** Entries: one per int8 value, indexed by {@code value + 128}. */
    public static final int SIZE = 256;

    private final byte[] table;

    private Lut(byte[] table) {
        this.table = table;
    }

    /** The table of {@code f} from quantization {@code in} (8-bit) to quantization {@code out} (8- or 16-bit). */
    public static Lut of(QuantParams in, QuantParams out, DoubleUnaryOperator f) {
        if (in.bits() != 8) throw new IllegalArgumentException("a lookup table reads 8-bit values, got int" + in.bits());
        if (out.bits() != 8 && out.bits() != 16) throw new IllegalArgumentException("a lookup table writes 8- or 16-bit values, got int" + out.bits());
        byte[] t = new byte[SIZE * ActivationBytes.bytesPerValue(out.bits())];
        for (int q = -128; q <= 127; q++) {
            double real = (double) in.scale() * (q - in.zeroPoint());
            ActivationBytes.set(t, q + 128, out.bits(), out.quantize(f.applyAsDouble(real)));
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

    /** {@code out[i] = table[in[i] + 128]}: equal-length buffers, or two output bytes per value for a 16-bit table. */
    public void run(byte[] in, byte[] out) {
        if ((long) in.length * ActivationBytes.bytesPerValue(outputBits()) != out.length) {
            throw new IllegalArgumentException("Lut: buffers of " + in.length + " and " + out.length + " bytes for int8 -> int" + outputBits());
        }
        apply(table, in, out);
    }

    /** The lookup of a 256-entry table (8- or 16-bit entries, {@link #outputBits(byte[])}) over whole buffers. */
    public static void apply(byte[] table, byte[] in, byte[] out) {
        if (outputBits(table) == 16) {
            for (int i = 0; i < in.length; i++) {
                ActivationBytes.setShort(out, i, ActivationBytes.getShort(table, in[i] + 128));
            }
            return;
        }
        for (int i = 0; i < in.length; i++) {
            out[i] = table[in[i] + 128];
        }
    }

    /** The width of a table's entries: 8 (256 bytes) or 16 (512 bytes, two per entry). */
    public static int outputBits(byte[] table) {
        if (table.length == SIZE) return 8;
        if (table.length == 2 * SIZE) return 16;
        throw new IllegalArgumentException("a lookup table has " + SIZE + " entries of 1 or 2 bytes, got " + table.length + " bytes");
    }

    /** The width of the output values: 8 or 16. */
    public int outputBits() {
        return outputBits(table);
    }

    /** The table; do not modify. */
    public byte[] table() {
        return table;
    }

    /** The output of one input value. */
    public int map(int value) {
        return ActivationBytes.get(table, value + 128, outputBits());
    }
}
