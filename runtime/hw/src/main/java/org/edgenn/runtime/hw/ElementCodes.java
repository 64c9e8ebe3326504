package org.edgenn.runtime.hw;

import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.Workload;

/**
 * One number per operand element, so that {@link MappedExecution}'s stores are maps of longs: the element's five
 * coordinates (W: g k c fy fx; I: n g c iy ix; O: n g k oy ox) in mixed radix over the padded extents of the mapping's
 * loop nest, multiplied by an odd constant. Decoding inverts both steps.
 */
final class ElementCodes {
    /**
     * Codes are multiplied by an odd constant (a bijection on longs) so that {@link Long#hashCode()} spreads them: the
     * plain mixed-radix numbers collide in whole runs of hash-map bins, which made the maps tree-ify and dominate the
     * walk (LISTA: 180 of 500 profile samples in {@code Long.equals}).
     */
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long UNMIX = inverse(MIX);
    private static final int DIMS = LoopDim.values().length;

    private final Workload w;
    private final long[] radix = new long[5 * Operand.values().length];

    /** {@code total}: every loop dimension's padded extent (temporal times spatial factors). */
    ElementCodes(Workload w, long[] total) {
        this.w = w;
        int n0 = LoopDim.N.ordinal(), g0 = LoopDim.G.ordinal(), k0 = LoopDim.K.ordinal(), c0 = LoopDim.C.ordinal();
        int oy = LoopDim.OY.ordinal(), ox = LoopDim.OX.ordinal(), fy = LoopDim.FY.ordinal(), fx = LoopDim.FX.ordinal();
        long[][] radices = {
            {total[g0], total[k0], total[c0], total[fy], total[fx]},
            {total[n0], total[g0], total[c0], (total[oy] - 1) * w.strideY() + (total[fy] - 1) * w.dilationY() + 1,
                (total[ox] - 1) * w.strideX() + (total[fx] - 1) * w.dilationX() + 1},
            {total[n0], total[g0], total[k0], total[oy], total[ox]}};
        for (Operand op : Operand.values()) {
            System.arraycopy(radices[op.ordinal()], 0, radix, 5 * op.ordinal(), 5);
        }
    }

    /** The element of {@code op} at loop-nest coordinates {@code d}. */
    long code(Operand op, int[] d) {
        int r = 5 * op.ordinal();
        long a, b, c, e, f;
        switch (op) {
            case W -> { a = d[MappedSemantics.G]; b = d[MappedSemantics.K]; c = d[MappedSemantics.C]; e = d[MappedSemantics.FY]; f = d[MappedSemantics.FX]; }
            case I -> {
                a = d[MappedSemantics.N]; b = d[MappedSemantics.G]; c = d[MappedSemantics.C];
                e = (long) d[MappedSemantics.OY] * w.strideY() + (long) d[MappedSemantics.FY] * w.dilationY();
                f = (long) d[MappedSemantics.OX] * w.strideX() + (long) d[MappedSemantics.FX] * w.dilationX();
            }
            default -> { a = d[MappedSemantics.N]; b = d[MappedSemantics.G]; c = d[MappedSemantics.K]; e = d[MappedSemantics.OY]; f = d[MappedSemantics.OX]; }
        }
        return ((((a * radix[r + 1] + b) * radix[r + 2] + c) * radix[r + 3] + e) * radix[r + 4] + f) * MIX;
    }

    /** The five coordinates of element {@code mixed} of {@code op}, in the order of the class comment. */
    long[] decode5(Operand op, long mixed) {
        long code = mixed * UNMIX;
        long[] c = new long[5];
        for (int i = 4; i >= 0; i--) {
            long r = radix[5 * op.ordinal() + i];
            c[i] = code % r;
            code /= r;
        }
        return c;
    }

    /** An output's loop-nest coordinates (N G K OY OX; the others 0). */
    int[] decodeOutput(long code) {
        long[] c = decode5(Operand.O, code);
        int[] d = new int[DIMS];
        d[MappedSemantics.N] = (int) c[0];
        d[MappedSemantics.G] = (int) c[1];
        d[MappedSemantics.K] = (int) c[2];
        d[MappedSemantics.OY] = (int) c[3];
        d[MappedSemantics.OX] = (int) c[4];
        return d;
    }

    /** For messages: {@code O[n g k oy ox = 0, 0, 3, 1, 2]}. */
    String describe(Operand op, long code) {
        long[] c = decode5(op, code);
        String names = switch (op) {
            case W -> "g k c fy fx";
            case I -> "n g c iy ix";
            case O -> "n g k oy ox";
        };
        return op + "[" + names + " = " + java.util.Arrays.toString(c).replaceAll("[\\[\\]]", "") + "]";
    }

    /** The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits each step). */
    private static long inverse(long x) {
        long y = x;
        for (int i = 0; i < 6; i++) {
            y *= 2 - x * y;
        }
        return y;
    }
}
