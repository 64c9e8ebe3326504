package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.BH;
import static org.edgenn.runtime.kernels.vector.VecQuant.HALF;
import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;
import static org.edgenn.runtime.kernels.vector.VecQuant.LS;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.RequantMode;

/**
 * The Vector API kernel family. Loaded reflectively by {@link KernelBackend} only when the
 * {@code jdk.incubator.vector} module is present. Bit-exact to the scalar reference.
 */
public final class VectorKernels implements KernelFactory, KernelBackend.VectorInfo {
    private static final VectorSpecies<Byte> BP = ByteVector.SPECIES_PREFERRED;
    /** Values per call of a vector leaf of an element-wise op. */
    private static final int SPAN = 1024;

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

    /**
     * {@code -Dedgenn.winograd=false} turns Winograd F(2×2,3×3) off (read when a layer is prepared): every 3×3 layer then
     * runs on the direct kernel. On by default since session 8 of issue 19, once the cause of its one allocating JVM in
     * fourteen was found and removed (docs/runtime-core.md, "Winograd F(2×2, 3×3) in exact float").
     */
    public static final String WINOGRAD_PROPERTY = "edgenn.winograd";

    /** Whether Winograd may be chosen: {@link #WINOGRAD_PROPERTY} unset or "true"; "false" turns it off; anything else is an error. */
    static boolean winogradEnabled() {
        String v = System.getProperty(WINOGRAD_PROPERTY);
        if (v == null || v.trim().equalsIgnoreCase("true")) return true;
        if (v.trim().equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("-D" + WINOGRAD_PROPERTY + "=" + v + " is not a switch value: use true or false");
    }

    @Override
    public Conv2dImpl conv2d(Conv2d layer) {
        if (layer.quant().wide()) return new VectorWide.Conv(layer);
        if (VectorDotConv.suits(layer.spec())) return new VectorDotConv(layer);
        // 3×3 stride-1 layers: Winograd F(4×4,3×3) in wrapping int32 where |y| < 2^25 is guaranteed (4× fewer multiply-adds)
        boolean winograd = winogradEnabled() && VectorWinogradInt.suits(layer);
        return winograd ? new VectorWinogradInt(layer) : new VectorConv2d(layer);
    }

    @Override
    public OutputStage outputStage(Conv2d layer) {
        return new VectorOutputStage(layer);
    }

    /**
     * {@code HALF} elements at a time in 64-bit lanes, like {@link VecQuant#requantizeLong}: bytes widen straight to
     * longs (B2L, same-part conversion) and every 32-bit step of {@link Add#addOne} is done on int32 values held in
     * long lanes, so no lane-splitting int↔long conversion is needed (JDK 17's C2 does not intrinsify those: the
     * previous int-lane version ran ~20 ns per element).
     */
    @Override
    public void add(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        int full = n - n % HALF;
        for (int i = 0; i < full; i += SPAN) addSpan(op, a, aOff + i, b, bOff + i, out, outOff + i, Math.min(SPAN, full - i));
        for (int i = full; i < n; i++) out[outOff + i] = (byte) op.addOne(a[aOff + i], b[bOff + i]);
    }

    /** Vector leaf of {@link #add} (see {@link VectorDotConv}'s warm-up note); n a multiple of {@code HALF}. */
    private static void addSpan(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        boolean single = op.mode() == RequantMode.SINGLE_ROUNDING;
        // int8 operands: the headroom shift is the constant LEFT_SHIFT. A lane shift by a count read from the op gave
        // wrong lanes on JDK 17 (KernelVariantsTest caught it) and a multiplication by 2^count boxed every vector.
        for (int i = 0; i < n; i += HALF) {
            LongVector x = ((LongVector) ByteVector.fromArray(BH, a, aOff + i).convertShape(VectorOperators.B2L, LS, 0))
                    .add(op.aOffset()).lanewise(VectorOperators.LSHL, Add.LEFT_SHIFT);
            LongVector y = ((LongVector) ByteVector.fromArray(BH, b, bOff + i).convertShape(VectorOperators.B2L, LS, 0))
                    .add(op.bOffset()).mul(op.bSign()).lanewise(VectorOperators.LSHL, Add.LEFT_SHIFT);
            LongVector sum = VecQuant.mulLong(x, op.aMultiplier(), op.aShift(), single)
                    .add(VecQuant.mulLong(y, op.bMultiplier(), op.bShift(), single));
            LongVector r = VecQuant.mulLong(sum, op.outMultiplier(), op.outShift(), single)
                    .add(op.outZeroPoint()).max(op.actMin()).min(op.actMax());
            ((ByteVector) r.convertShape(VectorOperators.L2B, BH, 0)).intoArray(out, outOff + i);
        }
    }

    @Override
    public void addWide(Add op, byte[] a, byte[] b, byte[] out, int n) {
        VectorWide.add(op, a, b, out, n);
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
    public SoftThresholdImpl softThreshold(SoftThreshold op) {
        if (op.bits() > 8) return new VectorWide.Shrink(op);
        return new VectorSoftThreshold(op);
    }

    /**
     * Max pooling needs no widening: the maximum of int8 values is one of them. A window's output row of c channels
     * starts as a copy of its first tap's row; every further tap's row is folded in by {@link #maxInto}, 64, 32, then
     * 16 channels per vector leaf, then one by one. No vector value lives across a loop iteration: the previous version
     * carried its running maximum across the window's nested loops, and JDK 17's C2 boxed it on every window for ever
     * (measured: 117 KB per FashionCnn inference, 18 µs for its 14×14×32 pool); a running maximum carried across even a
     * flat tap loop was still boxed once per window (64–96 B).
     */
    @Override
    public void maxPool(Pool2d op, byte[] in, byte[] out) {
        int c = op.c();
        for (int b = 0; b < op.n(); b++)
            for (int oy = 0; oy < op.outH(); oy++)
                for (int ox = 0; ox < op.outW(); ox++) {
                    int y0 = op.firstY(oy), y1 = op.endY(oy), x0 = op.firstX(ox), x1 = op.endX(ox);
                    int o = ((b * op.outH() + oy) * op.outW() + ox) * c;
                    int p0 = (b * op.h() + y0) * op.w() + x0;
                    System.arraycopy(in, p0 * c, out, o, c);
                    for (int y = 0; y < y1 - y0; y++)
                        for (int x = y == 0 ? 1 : 0; x < x1 - x0; x++) maxInto(out, o, in, (p0 + y * op.w() + x) * c, c);
                }
    }

    /**
     * out[o + i] = max(out[o + i], in[at + i]) for i in [0, c), in plain code. The Vector API leaves this had
     * (one per species, lanewise(MAX)) stopped being intrinsified on JDK 17 once the 16-bit kernels joined the JVM:
     * CI of 6 Dec measured FashionCnn's pools allocating 96 B per call of the 512-bit leaf (70,560 B per 5 inferences)
     * for 273,712 rounds on the vector and native families. A pool is a few 10^4 byte maxima per inference; being
     * allocation-free matters more here than the vector width.
     */
    private static void maxInto(byte[] out, int o, byte[] in, int at, int c) {
        for (int i = 0; i < c; i++) out[o + i] = (byte) Math.max(out[o + i], in[at + i]);
    }

    /**
     * Window sums in plain int arithmetic over contiguous channel rows (C2 auto-vectorizes {@link #addRow}), then
     * TFLite's rounding division per channel with {@link QuantMath#roundingDivide}, exactly as the reference. No Vector
     * API here: its lane-wise integer division has no x86 instruction and is never intrinsified, so a vector version
     * allocated on every call however long it ran (measured: 70 KB per FashionTiny inference); plain loops allocate
     * nothing, not even before C2 compiles them.
     */
    @Override
    public void avgPool(Pool2d op, byte[] in, byte[] out) {
        int c = op.c();
        int[] sum = op.sums();
        for (int b = 0; b < op.n(); b++)
            for (int oy = 0; oy < op.outH(); oy++)
                for (int ox = 0; ox < op.outW(); ox++) {
                    int y0 = op.firstY(oy), y1 = op.endY(oy), x0 = op.firstX(ox), x1 = op.endX(ox);
                    int count = (y1 - y0) * (x1 - x0);
                    Arrays.fill(sum, 0);
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++) addRow(sum, in, ((b * op.h() + y) * op.w() + x) * c, c);
                    int o = ((b * op.outH() + oy) * op.outW() + ox) * c;
                    for (int ch = 0; ch < c; ch++) out[o + ch] = (byte) QuantMath.roundingDivide(sum[ch], count);
                }
    }

    /** sum[i] += in[off + i] for i in [0, c), wrapping like the reference's int sum. */
    private static void addRow(int[] sum, byte[] in, int off, int c) {
        for (int i = 0; i < c; i++) sum[i] += in[off + i];
    }
}
