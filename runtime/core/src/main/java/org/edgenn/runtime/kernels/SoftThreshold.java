package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

/**
 * Soft threshold (the proximal map of the L1 norm, ISTA/LISTA's shrinkage) on NHWC int8 data
 * with one int8 threshold per channel, in the input's quantized units:
 * {@code d = x − zp; y = zp + sign(d)·max(|d| − θ[c], 0)}. Output has the input's quantization,
 * so no requantization and no overflow: |y − zp| ≤ |d|.
 */
public final class SoftThreshold {
    private final int channels;
    private final byte[] thresholds;
    private final int zeroPoint;
    private final KernelFactory.SoftThresholdImpl impl;

    private SoftThreshold(byte[] thresholds, int zeroPoint, Backend backend) {
        this.channels = thresholds.length;
        this.thresholds = thresholds;
        this.zeroPoint = zeroPoint;
        this.impl = KernelBackend.factory(backend).softThreshold(this);
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
        return new SoftThreshold(thresholds.clone(), zeroPoint, backend);
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

    /** Whole buffers: length must be a multiple of the channel count. */
    public void run(byte[] in, byte[] out) {
        if (in.length != out.length || in.length % channels != 0) {
            throw new IllegalArgumentException("SoftThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + channels + " channels");
        }
        impl.run(in, 0, out, 0, in.length / channels);
    }

    public void run(byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        Ops.checkRange(in, inOff, Math.multiplyExact(pixels, channels), "in");
        Ops.checkRange(out, outOff, pixels * channels, "out");
        impl.run(in, inOff, out, outOff, pixels);
    }

    public int channels() { return channels; }
    /** Do not modify. */
    public byte[] thresholds() { return thresholds; }
    public int zeroPoint() { return zeroPoint; }
}
