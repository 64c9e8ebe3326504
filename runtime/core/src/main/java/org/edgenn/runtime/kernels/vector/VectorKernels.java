package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;
import static org.edgenn.runtime.kernels.vector.VecQuant.LS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.RequantMode;

/**
 * The Vector API kernel family. Loaded reflectively by {@link KernelBackend} only when the
 * {@code jdk.incubator.vector} module is present. Bit-exact to the scalar reference.
 */
public final class VectorKernels implements KernelFactory, KernelBackend.VectorInfo {
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    private static final VectorSpecies<Byte> BP = ByteVector.SPECIES_PREFERRED;

    public VectorKernels() {
        if (L < 8) {
            throw new IllegalStateException("preferred vectors of " + (L * 32) + " bits are too narrow for these kernels");
        }
    }

    @Override
    public int preferredBits() {
        return IS.vectorBitSize();
    }

    @Override
    public Backend backend() {
        return Backend.VECTOR;
    }

    @Override
    public Conv2dImpl conv2d(Conv2d layer) {
        return new VectorConv2d(layer);
    }

    @Override
    public void add(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        IntVector am = IntVector.broadcast(IS, op.aMultiplier()), bm = IntVector.broadcast(IS, op.bMultiplier());
        boolean single = op.mode() == RequantMode.SINGLE_ROUNDING;
        int i = 0;
        for (; i <= n - L; i += L) {
            IntVector x = ((IntVector) ByteVector.fromArray(BS, a, aOff + i).convertShape(VectorOperators.B2I, IS, 0))
                    .add(op.aOffset()).lanewise(VectorOperators.LSHL, Add.LEFT_SHIFT);
            IntVector y = ((IntVector) ByteVector.fromArray(BS, b, bOff + i).convertShape(VectorOperators.B2I, IS, 0))
                    .add(op.bOffset()).mul(op.bSign()).lanewise(VectorOperators.LSHL, Add.LEFT_SHIFT);
            IntVector sum = mul(x, op.aMultiplier(), op.aShift(), single).add(mul(y, op.bMultiplier(), op.bShift(), single));
            IntVector r = mul(sum, op.outMultiplier(), op.outShift(), single)
                    .max(-256).min(255).add(op.outZeroPoint()).max(op.actMin()).min(op.actMax());
            ((ByteVector) r.convertShape(VectorOperators.I2B, BS, 0)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = (byte) op.addOne(a[aOff + i], b[bOff + i]);
    }

    /** multiplyByQuantizedMultiplier (double or single rounding) with one multiplier for all lanes. */
    private static IntVector mul(IntVector x, int m, int shift, boolean single) {
        if (single) {
            int total = 31 - shift;
            long round = 1L << (total - 1);
            LongVector mv = LongVector.broadcast(LS, m);
            LongVector r0 = ((LongVector) x.convertShape(VectorOperators.I2L, LS, 0)).mul(mv).add(round)
                    .lanewise(VectorOperators.ASHR, total).max(Integer.MIN_VALUE).min(Integer.MAX_VALUE);
            LongVector r1 = ((LongVector) x.convertShape(VectorOperators.I2L, LS, 1)).mul(mv).add(round)
                    .lanewise(VectorOperators.ASHR, total).max(Integer.MIN_VALUE).min(Integer.MAX_VALUE);
            return ((IntVector) r0.convertShape(VectorOperators.L2I, IS, 0)).or((IntVector) r1.convertShape(VectorOperators.L2I, IS, -1));
        }
        int left = Math.max(shift, 0), right = Math.max(-shift, 0);
        int mask = (int) ((1L << right) - 1);
        IntVector hi = VecQuant.srdhm(x.lanewise(VectorOperators.LSHL, left), LongVector.broadcast(LS, m));
        return VecQuant.rdbpot(hi, IntVector.broadcast(IS, right), IntVector.broadcast(IS, mask), IntVector.broadcast(IS, mask >> 1));
    }

    @Override
    public void clamp(byte[] in, int inOff, byte[] out, int outOff, int n, int lo, int hi) {
        int i = 0;
        int step = BP.length();
        for (; i <= n - step; i += step) {
            ByteVector.fromArray(BP, in, inOff + i).max((byte) lo).min((byte) hi).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            int v = in[inOff + i];
            out[outOff + i] = (byte) (v < lo ? lo : Math.min(v, hi));
        }
    }

    @Override
    public void softThreshold(SoftThreshold op, byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        int c = op.channels(), zp = op.zeroPoint();
        byte[] th = op.thresholds();
        for (int p = 0; p < pixels; p++) {
            int base = p * c;
            for (int ch = 0; ch < c; ch += L) {
                VectorMask<Byte> m = BS.indexInRange(ch, c);
                IntVector d = ((IntVector) ByteVector.fromArray(BS, in, inOff + base + ch, m).convertShape(VectorOperators.B2I, IS, 0)).sub(zp);
                IntVector t = (IntVector) ByteVector.fromArray(BS, th, ch, m).convertShape(VectorOperators.B2I, IS, 0);
                IntVector mag = d.abs().sub(t).max(0);
                IntVector y = mag.blend(mag.neg(), d.compare(VectorOperators.LT, 0)).add(zp);
                ((ByteVector) y.convertShape(VectorOperators.I2B, BS, 0)).intoArray(out, outOff + base + ch, m);
            }
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
                for (int ox = 0; ox < op.outW(); ox++) {
                    int y0 = op.firstY(oy), y1 = op.endY(oy), x0 = op.firstX(ox), x1 = op.endX(ox);
                    int count = (y1 - y0) * (x1 - x0);
                    int o = ((b * op.outH() + oy) * op.outW() + ox) * c;
                    for (int ch = 0; ch < c; ch += L) {
                        VectorMask<Byte> m = BS.indexInRange(ch, c);
                        IntVector acc = max ? IntVector.broadcast(IS, Integer.MIN_VALUE) : IntVector.zero(IS);
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++) {
                                IntVector v = (IntVector) ByteVector.fromArray(BS, in, ((b * op.h() + y) * op.w() + x) * c + ch, m)
                                        .convertShape(VectorOperators.B2I, IS, 0);
                                acc = max ? acc.max(v) : acc.add(v);
                            }
                        if (!max) {
                            // TFLite: (sum ± count/2) / count, truncating division
                            IntVector half = IntVector.broadcast(IS, count / 2);
                            acc = acc.add(half.blend(half.neg(), acc.compare(VectorOperators.LE, 0)))
                                    .lanewise(VectorOperators.DIV, count);
                        }
                        ((ByteVector) acc.convertShape(VectorOperators.I2B, BS, 0)).intoArray(out, o + ch, m);
                    }
                }
    }
}
