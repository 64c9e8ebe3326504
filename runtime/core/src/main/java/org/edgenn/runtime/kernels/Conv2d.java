package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Requantizer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * A prepared int8 2-d convolution (also dense and GEMM, see {@link Dense}): prepare once,
 * run many times with caller-owned buffers and no allocation per call.
 *
 * <p>Layouts: input NHWC int8 ({@code spec.inputSize()} bytes), weights OHWI
 * [K][FY][FX][C/groups] symmetric int8, bias int32 [K] (or null for zeros), output NHWC int8.
 * Semantics (all backends, bit for bit): {@code acc = bias[k] + Σ (x − zx)·w} in wrapping int32,
 * where padded taps contribute 0 (they stand for the real value 0, i.e. x = zx), then
 * {@link Requantizer#apply}. Per-tensor weights are per-channel scales all equal.
 *
 * <h2>16-bit activations</h2>
 * When the input or the output quantization is 16-bit ({@link LayerQuant#wide()}) that buffer holds two bytes per
 * value ({@link ActivationBytes}) and the accumulator is exact: {@code bias[k] + Σ (x − zx)·w} in 64 bits
 * ({@link #accumulateLong}), requantized by {@link Requantizer#apply(long, int)}. A 16-bit input makes
 * {@code |x − zx|} up to 65,535, so the sum can exceed int32 where an int8 layer's cannot: {@link #accumulatorBound()}
 * is the largest magnitude any partial sum of any output can reach with these weights and this bias,
 * {@code max_k |bias[k]| + maxDiff · Σ |w[k][·]|} (every partial sum is a sub-sum of those terms), and
 * {@link #accumulatorBits()} the signed width that holds it. Kernels may use int32 arithmetic only where that bound
 * proves it cannot overflow.
 *
 * <p>Not thread-safe: a prepared layer may own scratch buffers. Use one instance per thread.
 */
public final class Conv2d {
    private final Conv2dSpec spec;
    private final byte[] weights;
    private final int[] bias;
    private final LayerQuant quant;
    private final Requantizer requantizer;
    private final Backend backend;
    private final int inBytes, outBytes;
    private final long accumulatorBound;
    private final int maxAbsWeight;
    private final KernelFactory.Conv2dImpl impl;

    private Conv2d(Conv2dSpec spec, byte[] weights, int[] bias, LayerQuant quant, Backend backend) {
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.quant = quant;
        this.inBytes = ActivationBytes.bytesPerValue(quant.in().bits());
        this.outBytes = ActivationBytes.bytesPerValue(quant.out().bits());
        int zx = quant.in().zeroPoint();
        long maxDiff = Math.max((long) QuantParams.max(quant.in().bits()) - zx, (long) zx - QuantParams.min(quant.in().bits()));
        long bound = 0;
        int maxW = 0;
        int perK = spec.weightSize() / spec.k();
        for (int k = 0; k < spec.k(); k++) {
            long abs = 0;
            for (int i = k * perK; i < (k + 1) * perK; i++) {
                abs += Math.abs(weights[i]);
                maxW = Math.max(maxW, Math.abs(weights[i]));
            }
            bound = Math.max(bound, Math.abs((long) bias[k]) + maxDiff * abs);
        }
        this.accumulatorBound = bound;
        this.maxAbsWeight = maxW;
        this.requantizer = Requantizer.prepare(quant.in(), quant.weights(), quant.out(), quant.mode(), quant.actMin(), quant.actMax());
        this.backend = backend;
        this.impl = KernelBackend.factory(backend).conv2d(this);
    }

    /** Prepares with the backend chosen at class-load time ({@link KernelBackend#defaultBackend()}). */
    public static Conv2d prepare(Conv2dSpec spec, byte[] weights, int[] bias, LayerQuant quant) {
        return prepare(spec, weights, bias, quant, KernelBackend.defaultBackend());
    }

    /**
     * Validates and prepares. Weights and bias are copied (the caller may reuse its arrays).
     *
     * @throws IllegalArgumentException on any size mismatch
     */
    public static Conv2d prepare(Conv2dSpec spec, byte[] weights, int[] bias, LayerQuant quant, Backend backend) {
        if (spec == null || weights == null || quant == null || backend == null) throw new IllegalArgumentException("null argument");
        if (weights.length != spec.weightSize()) {
            throw new IllegalArgumentException("weights hold " + weights.length + " bytes, [K=" + spec.k() + "][FY=" + spec.fy()
                    + "][FX=" + spec.fx() + "][C/g=" + spec.inC() + "] needs " + spec.weightSize());
        }
        if (bias != null && bias.length != spec.k()) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries, K=" + spec.k());
        }
        if (quant.weights().channels() != spec.k()) {
            throw new IllegalArgumentException("weight scales for " + quant.weights().channels() + " channels, K=" + spec.k());
        }
        return new Conv2d(spec, weights.clone(), bias == null ? new int[spec.k()] : bias.clone(), quant, backend);
    }

    /** Output at the output's width (int8, or int16 two bytes per value). @throws IllegalArgumentException if a buffer has the wrong size */
    public void run(byte[] in, byte[] out) {
        checkIn(in);
        if (out == null || out.length != (long) spec.outputSize() * outBytes) {
            throw new IllegalArgumentException("output buffer of " + len(out) + " bytes, needs " + (long) spec.outputSize() * outBytes);
        }
        impl.run(in, out);
    }

    /** int32 accumulators (bias included, before requantization), NHWC; 8-bit layers, or 16-bit ones whose bound fits 32 bits. */
    public void accumulate(byte[] in, int[] acc) {
        checkIn(in);
        if (acc == null || acc.length != spec.outputSize()) {
            throw new IllegalArgumentException("accumulator buffer of " + (acc == null ? 0 : acc.length) + " ints, needs " + spec.outputSize());
        }
        if (quant.wide() && accumulatorBits() > 32) {
            throw new IllegalArgumentException("accumulators of this 16-bit layer need " + accumulatorBits() + " bits: use accumulateLong");
        }
        impl.accumulate(in, acc);
    }

    /** Exact 64-bit accumulators (bias included, before requantization), NHWC; layers with 16-bit activations. */
    public void accumulateLong(byte[] in, long[] acc) {
        checkIn(in);
        if (acc == null || acc.length != spec.outputSize()) {
            throw new IllegalArgumentException("accumulator buffer of " + (acc == null ? 0 : acc.length) + " longs, needs " + spec.outputSize());
        }
        impl.accumulateLong(in, acc);
    }

    private void checkIn(byte[] in) {
        if (in == null || in.length != (long) spec.inputSize() * inBytes) {
            throw new IllegalArgumentException("input buffer of " + len(in) + " bytes, NHWC " + spec.n() + "x" + spec.h() + "x"
                    + spec.w() + "x" + spec.c() + " of int" + quant.in().bits() + " needs " + (long) spec.inputSize() * inBytes);
        }
    }

    /**
     * The largest magnitude any partial sum of any output can reach, {@code max_k |bias[k]| + maxDiff · Σ |w[k][·]|}
     * with {@code maxDiff = max |x − zx|} over the input width (see the class comment).
     */
    public long accumulatorBound() {
        return accumulatorBound;
    }

    /** Signed width holding {@link #accumulatorBound()}: the accumulator an exact accelerator needs for this layer. */
    public int accumulatorBits() {
        return 65 - Long.numberOfLeadingZeros(accumulatorBound);
    }

    /** {@code max |w|} over the weights (a per-product bound of the kernels' blocked int32 sums). */
    public int maxAbsWeight() {
        return maxAbsWeight;
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    public Conv2dSpec spec() { return spec; }
    /** The OHWI weights; do not modify (shared with the kernel). */
    public byte[] weights() { return weights; }
    /** The bias; do not modify. */
    public int[] bias() { return bias; }
    public LayerQuant quant() { return quant; }
    public Requantizer requantizer() { return requantizer; }
    public Backend backend() { return backend; }
    /** Which implementation computes this layer (diagnostics; e.g. the native family names oneDNN's kernel here). */
    public String implementation() { return impl.toString(); }
    public int inputZeroPoint() { return quant.in().zeroPoint(); }
}
