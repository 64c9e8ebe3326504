package org.edgenn.runtime.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How an activation of a declared width is held in a {@code byte[]} buffer: widths up to 8 bits one value per byte,
 * wider ones (int16) two bytes per value, little-endian two's complement — the memory image an accelerator with
 * 16-bit activation operands reads and the layout of ONNX's INT16 raw data. Keeping every activation buffer a byte
 * array lets the generated networks, {@code Int8Layer} and the hardware-model check handle 8- and 16-bit tensors alike;
 * offsets and counts given to the methods here are in values, not bytes.
 */
public final class ActivationBytes {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private ActivationBytes() {}

    /** Bytes per value of a {@code bits}-bit activation (1 up to 8 bits, 2 up to 16). */
    public static int bytesPerValue(int bits) {
        if (bits < 2 || bits > 16) throw new IllegalArgumentException("activations are 2 to 16 bits, got " + bits);
        return bits > 8 ? 2 : 1;
    }

    /** True for widths held two bytes per value. */
    public static boolean wide(int bits) {
        return bytesPerValue(bits) == 2;
    }

    /** Value {@code i} of a buffer of {@code bits}-bit activations (sign-extended). */
    public static int get(byte[] buf, int i, int bits) {
        return bits > 8 ? (short) SHORT.get(buf, i << 1) : buf[i];
    }

    /** Stores value {@code i} (the caller keeps it within the width's range). */
    public static void set(byte[] buf, int i, int bits, int v) {
        if (bits > 8) SHORT.set(buf, i << 1, (short) v);
        else buf[i] = (byte) v;
    }

    /** A 16-bit value (index in values). */
    public static int getShort(byte[] buf, int i) {
        return (short) SHORT.get(buf, i << 1);
    }

    public static void setShort(byte[] buf, int i, int v) {
        SHORT.set(buf, i << 1, (short) v);
    }
}
