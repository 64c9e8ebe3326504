package org.edgenn.runtime.dnnl;

import java.util.Random;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native kernel family ({@link Backend#NATIVE}), constructed reflectively by runtime-core's {@code KernelBackend}
 * with the best pure-Java family as {@code fallback}. Convolution and dense layers whose accumulators oneDNN can
 * compute exactly (see {@link DnnlConvPrimitive}) run on a oneDNN primitive created here, at prepare time; any other
 * layer, and every other op, runs on the fallback. The constructor throws when the library does not load, the CPU
 * has no VNNI, or the self-check disagrees with plain loops — the caller then keeps the pure-Java families.
 */
public final class DnnlKernels implements KernelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DnnlKernels.class);

    private final KernelFactory fallback;
    private final String description;

    public DnnlKernels(KernelFactory fallback) {
        if (fallback == null) throw new IllegalArgumentException("null fallback family");
        this.fallback = fallback;
        String isa = DnnlRuntime.requireVnni();
        String impl = selfCheck();
        description = "oneDNN " + DnnlRuntime.version() + ", ISA " + isa + ", e.g. " + impl;
    }

    /**
     * Runs a small convolution with extreme values (inputs 0/255, weights −128/127, the sums close to the exactness
     * bound) and a dense-shaped one through oneDNN and compares the accumulators with plain loops.
     *
     * @return the implementation oneDNN chose for the convolution
     */
    static String selfCheck() {
        Random r = new Random(1);
        String impl = null;
        int[][] shapes = {{1, 7, 6, 40, 24, 3, 3}, {1, 1, 3, 200, 10, 1, 1}}; // n, h, w, c, k, fy, fx
        for (int[] sh : shapes) {
            int n = sh[0], h = sh[1], w = sh[2], c = sh[3], k = sh[4], fy = sh[5], fx = sh[6];
            byte[] x = new byte[n * h * w * c], wt = new byte[k * fy * fx * c];
            for (int i = 0; i < x.length; i++) x[i] = (byte) (r.nextBoolean() ? 0 : 255);
            for (int i = 0; i < wt.length; i++) wt[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextBoolean() ? -128 : 127);
            if (DnnlConvPrimitive.exactBound(wt, k) > DnnlConvPrimitive.FLOAT_EXACT) throw new AssertionError("self-check data out of bound");
            DnnlConvPrimitive p = new DnnlConvPrimitive(n, h, w, c, k, fy, fx, 1, 1, 1, 1, 1, wt);
            int oh = h - fy + 1, ow = w - fx + 1;
            int[] got = new int[n * oh * ow * k];
            p.execute(x, got);
            for (int b = 0; b < n; b++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int o = 0; o < k; o++) {
                            int sum = 0;
                            for (int y = 0; y < fy; y++)
                                for (int xx = 0; xx < fx; xx++)
                                    for (int ch = 0; ch < c; ch++)
                                        sum += (x[((b * h + oy + y) * w + ox + xx) * c + ch] & 0xff) * wt[((o * fy + y) * fx + xx) * c + ch];
                            int at = ((b * oh + oy) * ow + ox) * k + o;
                            if (got[at] != sum) {
                                throw new IllegalStateException("oneDNN self-check failed (" + p.implementation() + "): accumulator "
                                        + at + " is " + got[at] + ", plain loops give " + sum);
                            }
                        }
            if (impl == null) impl = p.implementation();
        }
        return impl;
    }

    @Override
    public Backend backend() {
        return Backend.NATIVE;
    }

    /**
     * Layers smaller than this stay on Java: a native call costs ≈ 0.5 µs (JNI, oneDNN's dispatch), more than the Java
     * kernels need for a layer of a few thousand MACs (e.g. a 32 → 10 classifier: 0.14 µs).
     */
    static final long MIN_MACS = 16_384;

    /**
     * oneDNN when the layer is not tiny, its sums stay within the exactness bound (in at most {@link DnnlConv2d#MAX_SLICES}
     * slices of input channels) and oneDNN offers a VNNI kernel; else the fallback.
     */
    @Override
    public Conv2dImpl conv2d(Conv2d layer) {
        // 16-bit activations are outside oneDNN's u8/s8 kernels: the Java kernels' exact 64-bit path
        if (layer.quant().wide() || layer.spec().macs() < MIN_MACS) return fallback.conv2d(layer);
        if (DnnlConv2d.slices(layer) == 0) {
            LOG.debug("{}: sums could exceed 2^24 in every slicing, kept on the Java kernels", layer.spec());
            return fallback.conv2d(layer);
        }
        try {
            return new DnnlConv2d(layer, fallback.outputStage(layer));
        } catch (RuntimeException e) { // oneDNN offers no VNNI kernel for this shape (or refuses it): exact Java kernels
            LOG.debug("{}: kept on the Java kernels ({})", layer.spec(), e.getMessage());
            return fallback.conv2d(layer);
        }
    }

    @Override
    public OutputStage outputStage(Conv2d layer) {
        return fallback.outputStage(layer);
    }

    @Override
    public void add(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        fallback.add(op, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public void addWide(Add op, byte[] a, byte[] b, byte[] out, int n) {
        fallback.addWide(op, a, b, out, n);
    }

    @Override
    public void clamp(byte[] in, int inOff, byte[] out, int outOff, int n, int lo, int hi) {
        fallback.clamp(in, inOff, out, outOff, n, lo, hi);
    }

    @Override
    public SoftThresholdImpl softThreshold(SoftThreshold op) {
        return fallback.softThreshold(op);
    }

    @Override
    public void maxPool(Pool2d op, byte[] in, byte[] out) {
        fallback.maxPool(op, in, out);
    }

    @Override
    public void avgPool(Pool2d op, byte[] in, byte[] out) {
        fallback.avgPool(op, in, out);
    }

    @Override
    public String toString() {
        return description;
    }
}
