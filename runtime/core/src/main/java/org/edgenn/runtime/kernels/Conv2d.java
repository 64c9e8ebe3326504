package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.Requantizer;

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
 * <p>Not thread-safe: a prepared layer may own scratch buffers. Use one instance per thread.
 */
public final class Conv2d {
    private final Conv2dSpec spec;
    private final byte[] weights;
    private final int[] bias;
    private final LayerQuant quant;
    private final Requantizer requantizer;
    private final Backend backend;
    private final KernelFactory.Conv2dImpl impl;

    private Conv2d(Conv2dSpec spec, byte[] weights, int[] bias, LayerQuant quant, Backend backend) {
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.quant = quant;
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

    /** int8 output. @throws IllegalArgumentException if a buffer has the wrong size */
    public void run(byte[] in, byte[] out) {
        checkIn(in);
        if (out == null || out.length != spec.outputSize()) {
            throw new IllegalArgumentException("output buffer of " + len(out) + " bytes, needs " + spec.outputSize());
        }
        impl.run(in, out);
    }

    /** int32 accumulators (bias included, before requantization), NHWC. */
    public void accumulate(byte[] in, int[] acc) {
        checkIn(in);
        if (acc == null || acc.length != spec.outputSize()) {
            throw new IllegalArgumentException("accumulator buffer of " + (acc == null ? 0 : acc.length) + " ints, needs " + spec.outputSize());
        }
        impl.accumulate(in, acc);
    }

    private void checkIn(byte[] in) {
        if (in == null || in.length != spec.inputSize()) {
            throw new IllegalArgumentException("input buffer of " + len(in) + " bytes, NHWC " + spec.n() + "x" + spec.h() + "x"
                    + spec.w() + "x" + spec.c() + " needs " + spec.inputSize());
        }
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
