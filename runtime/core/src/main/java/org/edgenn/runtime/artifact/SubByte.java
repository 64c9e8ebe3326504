package org.edgenn.runtime.artifact;

/**
 * Packing of 2- and 4-bit signed integers into bytes, as the artifact stores sub-byte weights (docs/inference.md,
 * "Sub-byte weights"): the values in row-major order, {@code 8 / bits} per byte, the FIRST value in the LOWEST bits
 * (element {@code i} in bits {@code (i % per) * bits ..} of byte {@code i / per}), each as a {@code bits}-bit two's
 * complement; the last byte's unused high bits are 0. This is ONNX's INT4 layout (low nibble first), so an int4
 * artifact tensor is an ONNX int4 initializer byte for byte.
 */
public final class SubByte {
    private SubByte() {
    }

    /** Whether {@code bits} is a width stored packed (2 or 4). */
    public static boolean packed(int bits) {
        return bits == 2 || bits == 4;
    }

    /** Bytes holding {@code count} values of {@code bits} bits. */
    public static int packedLength(long count, int bits) {
        requirePacked(bits);
        int per = 8 / bits;
        return (int) ((count + per - 1) / per);
    }

    /** Packs {@code values}, each in {@code [-2^(bits-1), 2^(bits-1) - 1]}; a value outside is an error, never wrapped. */
    public static byte[] pack(byte[] values, int bits) {
        requirePacked(bits);
        int per = 8 / bits;
        int lo = -(1 << (bits - 1));
        int hi = (1 << (bits - 1)) - 1;
        int mask = (1 << bits) - 1;
        byte[] out = new byte[packedLength(values.length, bits)];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("value " + v + " at " + i + " does not fit in int" + bits);
            }
            out[i / per] |= (byte) ((v & mask) << ((i % per) * bits));
        }
        return out;
    }

    /** Unpacks {@code count} values into one sign-extended byte each (the int8 kernels' operand). */
    public static byte[] unpack(byte[] packed, long count, int bits) {
        requirePacked(bits);
        if (packed.length != packedLength(count, bits)) {
            throw new IllegalArgumentException(packed.length + " bytes hold " + packedLength(count, bits) * (8 / bits)
                    + " int" + bits + " values, not " + count);
        }
        int per = 8 / bits;
        int shift = 32 - bits;
        byte[] out = new byte[(int) count];
        for (int i = 0; i < out.length; i++) {
            int field = (packed[i / per] & 0xff) >>> ((i % per) * bits);
            out[i] = (byte) ((field << shift) >> shift); // sign-extend the low 'bits' bits
        }
        return out;
    }

    private static void requirePacked(int bits) {
        if (!packed(bits)) {
            throw new IllegalArgumentException("int" + bits + " is not stored packed (2 or 4 bits are)");
        }
    }
}
