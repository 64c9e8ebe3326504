package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

/**
 * Soft threshold (the proximal map of the L1 norm, ISTA/LISTA's shrinkage) on NHWC int8 data
 * with one int8 threshold per channel, in the input's quantized units:
 * {@code d = x − zp; y = zp + sign(d)·max(|d| − θ[c], 0)}. Output has the input's quantization,
 * so no requantization and no overflow: |y − zp| ≤ |d|.
 *
 * <p>On 16-bit data ({@link #prepare(float[], QuantParams, Backend)} with an int16 quantization) the buffers hold two
 * bytes per value ({@link org.edgenn.runtime.tensor.ActivationBytes}) and the thresholds are in [0, 32767]; offsets
 * are in values.
 */
public final class SoftThreshold {
    private final int channels;
    private final byte[] thresholds;
    private final int[] wideThresholds;
    private final int zeroPoint;
    private final int bits;
    private final KernelFactory.SoftThresholdImpl impl;

    private SoftThreshold(byte[] thresholds, int[] wideThresholds, int zeroPoint, int bits, Backend backend) {
        this.channels = wideThresholds.length;
        this.thresholds = thresholds;
        this.wideThresholds = wideThresholds;
        this.zeroPoint = zeroPoint;
        this.bits = bits;
        this.impl = KernelBackend.factory(backend).softThreshold(this);
    }

    private static int[] widen(byte[] t) {
        int[] w = new int[t.length];
        for (int i = 0; i < t.length; i++) w[i] = t[i];
        return w;
    }

    /**
     * Real thresholds {@code theta} (one, or one per channel) in the quantized units of {@code q}, an 8- or 16-bit
     * quantization: {@code clamp(round(θ / scale), 0, max of the width)}.
     */
    public static SoftThreshold prepare(float[] theta, QuantParams q, Backend backend) {
        if (q.bits() == 8) return prepare(quantizeThresholds(theta, q), q.zeroPoint(), backend);
        if (q.bits() != 16) throw new IllegalArgumentException("soft threshold takes 8- or 16-bit activations, got int" + q.bits());
        if (theta == null || theta.length == 0) throw new IllegalArgumentException("no thresholds");
        int[] t = new int[theta.length];
        for (int i = 0; i < theta.length; i++) {
            t[i] = Quantization.clamp((long) Quantization.round(theta[i] / (double) q.scale()), 0, QuantParams.max(16));
        }
        return new SoftThreshold(null, t, q.zeroPoint(), 16, backend);
    }

    public static SoftThreshold prepare(byte[] thresholds, int zeroPoint) {
        return prepare(thresholds, zeroPoint, KernelBackend.defaultBackend());
    }

    /** @throws IllegalArgumentException if a threshold is negative or the zero point is outside int8 */
    public static SoftThreshold prepare(byte[] thresholds, int zeroPoint, Backend backend) {
        if (thresholds == null || thresholds.length == 0) throw new IllegalArgumentException("no thresholds");
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] < 0) throw new IllegalArgumentException("threshold[" + i + "] = " + thresholds[i] + " is negative");
        }
        if (zeroPoint < -128 || zeroPoint > 127) throw new IllegalArgumentException("zero point outside int8: " + zeroPoint);
        byte[] t = thresholds.clone();
        return new SoftThreshold(t, widen(t), zeroPoint, 8, backend);
    }

    /**
     * Real thresholds in the quantized units of {@code q}: {@code clamp(round(θ / scale), 0, 127)} (round half away
     * from zero; a negative threshold is 0, as the proximal map of a non-negative weight).
     */
    public static byte[] quantizeThresholds(float[] theta, QuantParams q) {
        byte[] t = new byte[theta.length];
        for (int i = 0; i < theta.length; i++) {
            t[i] = (byte) Quantization.clamp((long) Quantization.round(theta[i] / (double) q.scale()), 0, 127);
        }
        return t;
    }

    /** Whole buffers: the value count must be a multiple of the channel count. */
    public void run(byte[] in, byte[] out) {
        int per = bits > 8 ? 2 : 1;
        if (in.length != out.length || in.length % (channels * per) != 0) {
            throw new IllegalArgumentException("SoftThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + channels + " channels of int" + bits);
        }
        impl.run(in, 0, out, 0, in.length / per / channels);
    }

    /** Offsets in values; {@code pixels · channels} values. */
    public void run(byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        int per = bits > 8 ? 2 : 1;
        int n = Math.multiplyExact(pixels, channels);
        Ops.checkRange(in, inOff * per, n * per, "in");
        Ops.checkRange(out, outOff * per, n * per, "out");
        impl.run(in, inOff, out, outOff, pixels);
    }

    public int channels() { return channels; }
    /** The int8 thresholds of an 8-bit op (null for a 16-bit one, see {@link #threshold(int)}). Do not modify. */
    public byte[] thresholds() { return thresholds; }
    /** Threshold of channel {@code c} in quantized units, any width. */
    public int threshold(int c) { return wideThresholds[c]; }
    /** Width of the data: 8 or 16. */
    public int bits() { return bits; }
    public int zeroPoint() { return zeroPoint; }
}
