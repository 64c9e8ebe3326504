package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.Requantizer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * The reference kernels: plain loops in the natural order, no tricks. Every other family must
 * equal these bit for bit.
 */
public final class ScalarKernels implements KernelFactory {
    @Override
    public Backend backend() {
        return Backend.SCALAR;
    }

    /**
     * One loop for every activation width: exact 64-bit sums ({@link #convAccumulate}). For 8-bit layers the int32
     * accumulators and outputs are those sums narrowed, which is what 32-bit wrapping arithmetic gives, and the int32
     * requantization runs on them; 16-bit layers keep the 64-bit sums ({@link Conv2d#accumulatorBits}).
     */
    @Override
    public Conv2dImpl conv2d(Conv2d layer) {
        long[] scratch = new long[layer.spec().outputSize()]; // allocated once per prepared layer: run() allocates nothing
        boolean wide = layer.quant().wide();
        int outBits = layer.quant().out().bits();
        return new Conv2dImpl() {
            @Override
            public void accumulate(byte[] in, int[] acc) {
                convAccumulate(layer, in, scratch);
                for (int i = 0; i < acc.length; i++) acc[i] = (int) scratch[i]; // a wide layer: Conv2d allows this only when the bound fits
            }

            @Override
            public void accumulateLong(byte[] in, long[] acc) {
                if (!wide) Conv2dImpl.super.accumulateLong(in, acc);
                convAccumulate(layer, in, acc);
            }

            @Override
            public void run(byte[] in, byte[] out) {
                Requantizer rq = layer.requantizer();
                convAccumulate(layer, in, scratch);
                int k = layer.spec().k();
                for (int i = 0; i < scratch.length; i++) {
                    if (wide) ActivationBytes.set(out, i, outBits, rq.apply(scratch[i], i % k));
                    else out[i] = (byte) rq.apply((int) scratch[i], i % k);
                }
            }
        };
    }

    @Override
    public OutputStage outputStage(Conv2d layer) {
        Requantizer rq = layer.requantizer();
        int k = layer.spec().k();
        return (acc, a, offset, out, o, pixels) -> {
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < k; c++) out[o + p * k + c] = (byte) rq.apply(acc[a + p * k + c] + offset[c], c);
        };
    }

    /**
     * acc[n][oy][ox][k] = bias[k] + Σ_{fy,fx,c} (x − zx)·w, exact in 64 bits, the input read at its width;
     * out-of-bounds taps skipped (they are zero).
     */
    static void convAccumulate(Conv2d layer, byte[] in, long[] acc) {
        Conv2dSpec s = layer.spec();
        byte[] wt = layer.weights();
        int[] bias = layer.bias();
        int zx = layer.inputZeroPoint();
        int bits = layer.quant().in().bits();
        int oh = s.outH(), ow = s.outW(), cg = s.inC(), kg = s.outKPerGroup();
        for (int b = 0; b < s.n(); b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int k = 0; k < s.k(); k++) {
                        int g = k / kg;
                        long sum = bias[k];
                        for (int fy = 0; fy < s.fy(); fy++) {
                            int iy = oy * s.strideY() - s.padTop() + fy * s.dilationY();
                            if (iy < 0 || iy >= s.h()) continue;
                            for (int fx = 0; fx < s.fx(); fx++) {
                                int ix = ox * s.strideX() - s.padLeft() + fx * s.dilationX();
                                if (ix < 0 || ix >= s.w()) continue;
                                int xi = ((b * s.h() + iy) * s.w() + ix) * s.c() + g * cg;
                                int wi = ((k * s.fy() + fy) * s.fx() + fx) * cg;
                                for (int c = 0; c < cg; c++) sum += (long) (ActivationBytes.get(in, xi + c, bits) - zx) * wt[wi + c];
                            }
                        }
                        acc[((b * oh + oy) * ow + ox) * s.k() + k] = sum;
                    }
    }

    @Override
    public void addWide(Add op, byte[] a, byte[] b, byte[] out, int n) {
        int ab = op.a().bits(), bb = op.b().bits(), ob = op.out().bits();
        for (int i = 0; i < n; i++) ActivationBytes.set(out, i, ob, op.addOne(ActivationBytes.get(a, i, ab), ActivationBytes.get(b, i, bb)));
    }

    @Override
    public void add(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (byte) op.addOne(a[aOff + i], b[bOff + i]);
    }

    @Override
    public void clamp(byte[] in, int inOff, byte[] out, int outOff, int n, int lo, int hi) {
        for (int i = 0; i < n; i++) {
            int v = in[inOff + i];
            out[outOff + i] = (byte) (v < lo ? lo : Math.min(v, hi));
        }
    }

    @Override
    public SoftThresholdImpl softThreshold(SoftThreshold op) {
        return (in, inOff, out, outOff, pixels) -> softThreshold(op, in, inOff, out, outOff, pixels);
    }

    private static void softThreshold(SoftThreshold op, byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        if (op.bits() > 8) {
            softThresholdWide(op, in, inOff, out, outOff, pixels);
            return;
        }
        int c = op.channels(), zp = op.zeroPoint();
        byte[] th = op.thresholds();
        for (int p = 0; p < pixels; p++)
            for (int ch = 0; ch < c; ch++) {
                int i = p * c + ch;
                int d = in[inOff + i] - zp;
                int m = Math.max(Math.abs(d) - th[ch], 0);
                out[outOff + i] = (byte) (zp + (d < 0 ? -m : m));
            }
    }

    /** 16-bit values (offsets in values): the same formula on values read and written two bytes each. */
    private static void softThresholdWide(SoftThreshold op, byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        int c = op.channels(), zp = op.zeroPoint();
        for (int p = 0; p < pixels; p++)
            for (int ch = 0; ch < c; ch++) {
                int i = p * c + ch;
                int d = ActivationBytes.getShort(in, inOff + i) - zp;
                int m = Math.max(Math.abs(d) - op.threshold(ch), 0);
                ActivationBytes.setShort(out, outOff + i, zp + (d < 0 ? -m : m));
            }
    }

    @Override
    public void maxPool(Pool2d op, byte[] in, byte[] out) {
        pool(op, in, out, true);
    }

    @Override
    public void avgPool(Pool2d op, byte[] in, byte[] out) {
        pool(op, in, out, false);
    }

    private static void pool(Pool2d op, byte[] in, byte[] out, boolean max) {
        int c = op.c();
        for (int b = 0; b < op.n(); b++)
            for (int oy = 0; oy < op.outH(); oy++)
                for (int ox = 0; ox < op.outW(); ox++)
                    for (int ch = 0; ch < c; ch++) {
                        int m = Integer.MIN_VALUE, sum = 0, count = 0;
                        for (int y = op.firstY(oy); y < op.endY(oy); y++)
                            for (int x = op.firstX(ox); x < op.endX(ox); x++) {
                                int v = in[((b * op.h() + y) * op.w() + x) * c + ch];
                                m = Math.max(m, v);
                                sum += v;
                                count++;
                            }
                        int r = max ? m : QuantMath.roundingDivide(sum, count);
                        out[((b * op.outH() + oy) * op.outW() + ox) * c + ch] = (byte) r;
                    }
    }
}
