package org.edgenn.train.export;

import java.util.Arrays;

/**
 * One immutable tensor of an {@link Int8Model}. Exactly one of the data arrays is present, per {@link #type()}.
 * Quantized tensors carry their scales: per-channel ({@code channelAxis >= 0}, one scale per index of that
 * axis, zero points all 0 for symmetric weights) or per-tensor ({@code channelAxis == -1}, one scale and
 * zero point). Data is row-major (C order) over {@link #shape()}.
 */
public final class Int8Tensor {
    public enum Type { INT8, INT32, FLOAT32 }

    private final String name;
    private final Type type;
    private final long[] shape;
    private final byte[] int8;
    private final int[] int32;
    private final float[] f32;
    private final float[] scales;
    private final int[] zeroPoints;
    private final int channelAxis;
    private final int bits;

    private Int8Tensor(String name, Type type, long[] shape, byte[] int8, int[] int32, float[] f32,
                       float[] scales, int[] zeroPoints, int channelAxis, int bits) {
        this.bits = bits;
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.int8 = int8 == null ? null : int8.clone();
        this.int32 = int32 == null ? null : int32.clone();
        this.f32 = f32 == null ? null : f32.clone();
        this.scales = scales.clone();
        this.zeroPoints = zeroPoints.clone();
        this.channelAxis = channelAxis;
        long n = 1;
        for (long s : shape) n *= s;
        int len = int8 != null ? int8.length : int32 != null ? int32.length : f32.length;
        if (len != n) throw new IllegalArgumentException(name + ": data length " + len + " != shape product " + n);
        if (channelAxis >= 0 && scales.length != shape[channelAxis])
            throw new IllegalArgumentException(name + ": " + scales.length + " scales for channel axis of size " + shape[channelAxis]);
    }

    public static Int8Tensor int8(String name, long[] shape, byte[] data, float[] scales, int[] zeroPoints, int channelAxis) {
        return quantized(name, shape, data, scales, zeroPoints, channelAxis, 8);
    }

    /**
     * Integers of {@code bits} (2, 4 or 8) bits, one per byte, each checked to lie in the width's range; the artifact
     * packs 2- and 4-bit ones.
     */
    public static Int8Tensor quantized(String name, long[] shape, byte[] data, float[] scales, int[] zeroPoints,
                                       int channelAxis, int bits) {
        if (bits != 2 && bits != 4 && bits != 8) throw new IllegalArgumentException(name + ": int" + bits + " is not a byte-held width (2, 4, 8)");
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        for (int i = 0; i < data.length; i++) {
            if (data[i] < lo || data[i] > hi) throw new IllegalArgumentException(name + "[" + i + "] = " + data[i] + " is outside int" + bits);
        }
        return new Int8Tensor(name, Type.INT8, shape, data, null, null, scales, zeroPoints, channelAxis, bits);
    }

    public static Int8Tensor int32(String name, long[] shape, int[] data, float[] scales, int channelAxis) {
        return new Int8Tensor(name, Type.INT32, shape, null, data, null, scales, new int[scales.length], channelAxis, 32);
    }

    public static Int8Tensor float32(String name, long[] shape, float[] data) {
        return new Int8Tensor(name, Type.FLOAT32, shape, null, null, data, new float[0], new int[0], -1, 32);
    }

    public String name() { return name; }
    public Type type() { return type; }
    public long[] shape() { return shape.clone(); }
    public int channelAxis() { return channelAxis; }
    /** Width of the stored integers (2, 4, 8 for {@link Type#INT8} tensors; 32 otherwise). */
    public int bits() { return bits; }
    public boolean perChannel() { return channelAxis >= 0; }
    public float[] scales() { return scales.clone(); }
    public int[] zeroPoints() { return zeroPoints.clone(); }
    public byte[] int8Data() { return int8 == null ? null : int8.clone(); }
    public int[] int32Data() { return int32 == null ? null : int32.clone(); }
    public float[] floatData() { return f32 == null ? null : f32.clone(); }

    public int length() {
        return type == Type.INT8 ? int8.length : type == Type.INT32 ? int32.length : f32.length;
    }

    /** Number of exactly-zero stored values. */
    public long zeros() {
        long z = 0;
        for (int i = 0; i < length(); i++) if (rawAt(i) == 0) z++;
        return z;
    }

    public double zeroFraction() { return (double) zeros() / length(); }

    private double rawAt(int i) {
        return type == Type.INT8 ? int8[i] : type == Type.INT32 ? int32[i] : f32[i];
    }

    /** Channel index of flat element {@code i} along {@link #channelAxis()}. */
    public int channelOf(int i) {
        long inner = 1;
        for (int d = channelAxis + 1; d < shape.length; d++) inner *= shape[d];
        return (int) ((i / inner) % shape[channelAxis]);
    }

    /** Real values {@code scale · (q - zeroPoint)} (floats are returned as-is). */
    public float[] dequantize() {
        float[] out = new float[length()];
        for (int i = 0; i < out.length; i++) {
            if (type == Type.FLOAT32) { out[i] = f32[i]; continue; }
            int c = channelAxis >= 0 ? channelOf(i) : 0;
            out[i] = (float) (scales[c] * (rawAt(i) - zeroPoints[c]));
        }
        return out;
    }

    @Override public String toString() {
        return "Int8Tensor[" + name + " " + type + " " + Arrays.toString(shape) + (perChannel() ? " per-channel axis " + channelAxis : "") + "]";
    }
}
