package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.BH;
import static org.edgenn.runtime.kernels.vector.VecQuant.BL;
import static org.edgenn.runtime.kernels.vector.VecQuant.HALF;
import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;
import static org.edgenn.runtime.kernels.vector.VecQuant.LS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Requantizer;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Vector API kernels of the ops with 16-bit activations (two bytes per value, little-endian, {@link ActivationBytes}),
 * bit-exact to the scalar reference. 16-bit values are loaded as bytes and reinterpreted as shorts (the Vector API
 * defines reinterpretation as a little-endian store and load, on every platform; {@code fromByteArray} with a
 * byte order is gone after JDK 19), then widened to int or long lanes.
 *
 * <h2>Exact accumulation without 64-bit products</h2>
 * A product {@code (x − zx)·w} is at most {@code P = maxDiff · max|w|} (65,535 · 127 &lt; 2^23 for int16 × int8), so
 * {@code B = ⌊(2^31 − 1) / (P · lanes)⌋} vector steps add at most 2^31 − 1 in magnitude over all lanes together (16
 * steps of 16 lanes for int16 × int8, 292 for int16 × int4): the dot product runs blocks of at most B steps in int
 * lanes, reduces each block in int32 (exact: its whole sum is within the bound; {@code reduceLanesToLong} would not
 * help, it reduces in the lane type) and adds it to a 64-bit total. Exact whatever the layer's
 * {@link Conv2d#accumulatorBound()}; one block, i.e. plain int32 arithmetic, for layers up to B·lanes channels per tap.
 */
final class VectorWide {
    private VectorWide() {}

    /** L shorts = the bytes of 2L lanes (loads of 16-bit values), and their HALF-lane counterparts for the add. */
    static final VectorSpecies<Short> SL = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Byte> B2L = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, VectorShape.forBitSize(HALF * 16));
    static final VectorSpecies<Byte> B2H = VectorSpecies.of(byte.class, VectorShape.forBitSize(HALF * 16));

    /** L int16 values starting at value {@code i}. */
    static IntVector load16(byte[] a, int i) {
        return (IntVector) ByteVector.fromArray(B2L, a, i << 1).reinterpretAsShorts().convertShape(VectorOperators.S2I, IS, 0);
    }

    static void store16(IntVector v, byte[] a, int i) {
        ((ShortVector) v.convertShape(VectorOperators.I2S, SL, 0)).reinterpretAsBytes().intoArray(a, i << 1);
    }

    /** The convolution of a layer with a 16-bit input or output. */
    static final class Conv implements KernelFactory.Conv2dImpl {
        private final Conv2d layer;
        private final long[] scratch;
        /** Vector steps per int32 block (see the class comment). */
        private final int block;
        private final boolean wideIn;
        private final int outBits;

        Conv(Conv2d layer) {
            this.layer = layer;
            this.scratch = new long[layer.spec().outputSize()];
            QuantParams in = layer.quant().in();
            long maxDiff = Math.max((long) QuantParams.max(in.bits()) - in.zeroPoint(), (long) in.zeroPoint() - QuantParams.min(in.bits()));
            long product = maxDiff * layer.maxAbsWeight();
            this.block = product == 0 ? Integer.MAX_VALUE : (int) Math.max(1, Integer.MAX_VALUE / (product * L));
            this.wideIn = in.bits() > 8;
            this.outBits = layer.quant().out().bits();
        }

        @Override
        public void accumulate(byte[] in, int[] acc) {
            accumulateLong(in, scratch);
            for (int i = 0; i < acc.length; i++) acc[i] = (int) scratch[i]; // Conv2d allows this only when the bound fits
        }

        @Override
        public void accumulateLong(byte[] in, long[] acc) {
            Conv2dSpec s = layer.spec();
            byte[] wt = layer.weights();
            int[] bias = layer.bias();
            int zx = layer.inputZeroPoint();
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
                                    sum += wideIn ? dot16(in, xi, wt, wi, cg, zx, block) : dot8(in, xi, wt, wi, cg, zx, block);
                                }
                            }
                            acc[((b * oh + oy) * ow + ox) * s.k() + k] = sum;
                        }
        }

        @Override
        public void run(byte[] in, byte[] out) {
            accumulateLong(in, scratch);
            Requantizer rq = layer.requantizer();
            int k = layer.spec().k();
            for (int i = 0; i < scratch.length; i++) ActivationBytes.set(out, i, outBits, rq.apply(scratch[i], i % k));
        }
    }

    /** Σ (x − zx)·w over n int16 values from value {@code xi} and n int8 weights from {@code wi}, exact (class comment). */
    static long dot16(byte[] in, int xi, byte[] w, int wi, int n, int zx, int block) {
        long total = 0;
        int full = n - n % L;
        int c = 0;
        while (c < full) {
            int stop = (int) Math.min(full, c + (long) block * L);
            IntVector acc = IntVector.zero(IS);
            for (; c < stop; c += L) {
                IntVector wv = (IntVector) ByteVector.fromArray(BL, w, wi + c).convertShape(VectorOperators.B2I, IS, 0);
                acc = acc.add(load16(in, xi + c).sub(zx).mul(wv));
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; c < n; c++) total += (long) (ActivationBytes.getShort(in, xi + c) - zx) * w[wi + c];
        return total;
    }

    /** {@link #dot16} for an int8 input (a layer whose output only is 16-bit). */
    static long dot8(byte[] in, int xi, byte[] w, int wi, int n, int zx, int block) {
        long total = 0;
        int full = n - n % L;
        int c = 0;
        while (c < full) {
            int stop = (int) Math.min(full, c + (long) block * L);
            IntVector acc = IntVector.zero(IS);
            for (; c < stop; c += L) {
                IntVector wv = (IntVector) ByteVector.fromArray(BL, w, wi + c).convertShape(VectorOperators.B2I, IS, 0);
                IntVector xv = (IntVector) ByteVector.fromArray(BL, in, xi + c).convertShape(VectorOperators.B2I, IS, 0);
                acc = acc.add(xv.sub(zx).mul(wv));
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; c < n; c++) total += (long) (in[xi + c] - zx) * w[wi + c];
        return total;
    }

    /**
     * An add with a 16-bit operand or output, {@code HALF} values at a time in 64-bit lanes as the int8 add
     * ({@link VectorKernels#add}), with the op's headroom shift; the tail element by element with {@link Add#addOne}.
     */
    static void add(Add op, byte[] a, byte[] b, byte[] out, int n) {
        boolean single = op.mode() == RequantMode.SINGLE_ROUNDING;
        int ab = op.a().bits(), bb = op.b().bits(), ob = op.out().bits();
        int full = n - n % HALF;
        // the headroom shift as a compile-time constant in each branch (see VectorKernels#addSpan)
        boolean wideShift = op.leftShift() == Add.WIDE_LEFT_SHIFT;
        for (int i = 0; i < full; i += HALF) {
            LongVector x = shifted(load(a, i, ab).add(op.aOffset()), wideShift);
            LongVector y = shifted(load(b, i, bb).add(op.bOffset()).mul(op.bSign()), wideShift);
            LongVector sum = VecQuant.mulLong(x, op.aMultiplier(), op.aShift(), single)
                    .add(VecQuant.mulLong(y, op.bMultiplier(), op.bShift(), single));
            LongVector r = VecQuant.mulLong(sum, op.outMultiplier(), op.outShift(), single)
                    .add(op.outZeroPoint()).max(op.actMin()).min(op.actMax());
            if (ob > 8) ((ShortVector) r.convertShape(VectorOperators.L2S, SH, 0)).reinterpretAsBytes().intoArray(out, i << 1);
            else ((ByteVector) r.convertShape(VectorOperators.L2B, BH, 0)).intoArray(out, i);
        }
        for (int i = full; i < n; i++) {
            ActivationBytes.set(out, i, ob, op.addOne(ActivationBytes.get(a, i, ab), ActivationBytes.get(b, i, bb)));
        }
    }

    private static LongVector shifted(LongVector v, boolean wideShift) {
        return wideShift ? v.lanewise(VectorOperators.LSHL, Add.WIDE_LEFT_SHIFT) : v.lanewise(VectorOperators.LSHL, Add.LEFT_SHIFT);
    }

    private static LongVector load(byte[] a, int i, int bits) {
        return bits > 8
                ? (LongVector) ByteVector.fromArray(B2H, a, i << 1).reinterpretAsShorts().convertShape(VectorOperators.S2L, LS, 0)
                : (LongVector) ByteVector.fromArray(BH, a, i).convertShape(VectorOperators.B2L, LS, 0);
    }

    /** Soft threshold on int16 values in int lanes: {@code zp + sign(d)·max(|d| − θ[c], 0)}, |d| ≤ 65,535 fits. */
    static final class Shrink implements KernelFactory.SoftThresholdImpl {
        private final int c, zp;
        private final int[] th;

        Shrink(SoftThreshold op) {
            c = op.channels();
            zp = op.zeroPoint();
            th = new int[c];
            for (int i = 0; i < c; i++) th[i] = op.threshold(i);
        }

        @Override
        public void run(byte[] in, int inOff, byte[] out, int outOff, int pixels) {
            int full = c - c % L;
            for (int p = 0; p < pixels; p++) {
                int base = p * c;
                for (int ch = 0; ch < full; ch += L) {
                    IntVector d = load16(in, inOff + base + ch).sub(zp);
                    IntVector mag = d.abs().sub(IntVector.fromArray(IS, th, ch)).max(0);
                    store16(mag.blend(mag.neg(), d.lt(0)).add(zp), out, outOff + base + ch);
                }
                for (int ch = full; ch < c; ch++) {
                    int d = ActivationBytes.getShort(in, inOff + base + ch) - zp;
                    int m = Math.max(Math.abs(d) - th[ch], 0);
                    ActivationBytes.setShort(out, outOff + base + ch, zp + (d < 0 ? -m : m));
                }
            }
        }
    }
}
