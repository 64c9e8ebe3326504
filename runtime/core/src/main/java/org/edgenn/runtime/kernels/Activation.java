package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantParams;

/**
 * ReLU, ReLU6 and clamp on int8 data. Input and output share quantization, so an activation is a
 * clamp to bounds computed once from the quantization parameters ({@link #reluBounds},
 * {@link #relu6Bounds}); the same bounds can instead be fused into a conv's {@link LayerQuant}.
 */
public final class Activation {
    private Activation() {}

    /** {lo, hi} of ReLU: {zeroPoint, 127}. */
    public static int[] reluBounds(QuantParams q) {
        return new int[] {q.zeroPoint(), 127};
    }

    /** {lo, hi} of ReLU6: {zeroPoint, min(127, zeroPoint + round(6 / scale))}. */
    public static int[] relu6Bounds(QuantParams q) {
        long six = Math.round(6.0 / q.scale()) + q.zeroPoint();
        return new int[] {q.zeroPoint(), (int) Math.min(127, six)};
    }

    /**
     * {lo, hi} of a clamp to real bounds {@code [lo, hi]} ({@code ±∞} for none) in quantization {@code q}: each bound
     * quantized ({@link QuantParams#quantize}, so ReLU's 0 is the zero point exactly and ReLU6's 6 is
     * {@link #relu6Bounds}'s) and limited to the quantization's width (int8, or int16 for a clamp fused into a layer
     * with 16-bit output).
     */
    public static int[] clampBounds(QuantParams q, double lo, double hi) {
        int l = lo == Double.NEGATIVE_INFINITY ? QuantParams.min(q.bits()) : q.quantize(lo);
        int h = hi == Double.POSITIVE_INFINITY ? QuantParams.max(q.bits()) : q.quantize(hi);
        return new int[] {l, Math.max(l, h)};
    }

    public static void clamp(byte[] in, byte[] out, int lo, int hi) {
        clamp(in, 0, out, 0, in.length, lo, hi, KernelBackend.defaultBackend());
    }

    public static void clamp(byte[] in, int inOff, byte[] out, int outOff, int n, int lo, int hi, Backend backend) {
        if (lo < -128 || hi > 127 || lo > hi) throw new IllegalArgumentException("bad clamp range [" + lo + ", " + hi + "]");
        Ops.checkRange(in, inOff, n, "in");
        Ops.checkRange(out, outOff, n, "out");
        KernelBackend.factory(backend).clamp(in, inOff, out, outOff, n, lo, hi);
    }
}
