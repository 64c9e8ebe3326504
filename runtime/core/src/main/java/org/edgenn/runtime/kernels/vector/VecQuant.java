package org.edgenn.runtime.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.quant.Requantizer;

/**
 * Lane-wise versions of {@link QuantMath}'s requantization, bit-exact to the scalar methods
 * (the kernel suite checks this). Per-channel parameters are prepared once into padded arrays
 * ({@link Params}); 64-bit products use two {@link LongVector} halves.
 */
final class VecQuant {
    private VecQuant() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    static final int L = IS.length();
    static final int HALF = LS.length();

    private static final long NUDGE_POS = 1L << 30;
    private static final long NUDGE_NEG = 1L - (1L << 30);
    private static final long TRUNC_BIAS = (1L << 31) - 1;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 · 2^23: (v + M) − M rounds half to even for |v| ≤ 2^22

    /** Per-channel requantization parameters padded to a multiple of {@link #L} lanes. */
    static final class Params {
        final RequantMode mode;
        final int[] left, right, mask, thresholdBase;
        final long[] mult, round, totalShift;
        final float[] scale;
        final int zeroPoint, actMin, actMax;
        final int[] pow2Left;
        final long[] rightL, maskL, thresholdBaseL;
        final byte[] tail = new byte[L]; // scratch for partial stores (makes a Params instance single-threaded)

        /** A layer's per-output-channel parameters laid out by {@code map} (see the constructor). */
        static Params of(Requantizer r, int channels, int[] map) {
            int[] mult = new int[channels], shift = new int[channels];
            float[] fscale = new float[channels];
            for (int k = 0; k < channels; k++) {
                mult[k] = r.multiplier(k);
                shift[k] = r.shift(k);
                fscale[k] = r.floatScale(k);
            }
            return new Params(r.mode(), mult, shift, fscale, map, r.outZeroPoint(), r.actMin(), r.actMax());
        }

        /** Channel {@code j} of the padded arrays takes channel {@code map[j]} of the source, or is inert when −1. */
        Params(RequantMode mode, int[] multipliers, int[] shifts, float[] floatScales, int[] map, int zeroPoint, int actMin, int actMax) {
            int n = map.length;
            this.mode = mode;
            left = new int[n]; right = new int[n]; mask = new int[n]; thresholdBase = new int[n];
            mult = new long[n]; round = new long[n]; totalShift = new long[n]; scale = new float[n];
            pow2Left = new int[n]; rightL = new long[n]; maskL = new long[n]; thresholdBaseL = new long[n];
            for (int j = 0; j < n; j++) {
                int c = map[j];
                int m = c < 0 ? 0 : multipliers[c];
                int s = c < 0 ? 0 : shifts[c];
                left[j] = Math.max(s, 0);
                right[j] = Math.max(-s, 0);
                mask[j] = (int) ((1L << right[j]) - 1);
                thresholdBase[j] = mask[j] >> 1;
                mult[j] = m;
                totalShift[j] = 31 - s;
                round[j] = 1L << (30 - s);
                scale[j] = c < 0 ? 0f : floatScales[c];
                pow2Left[j] = 1 << left[j];
                rightL[j] = right[j];
                maskL[j] = mask[j];
                thresholdBaseL[j] = thresholdBase[j];
            }
            this.zeroPoint = zeroPoint;
            this.actMin = actMin;
            this.actMax = actMax;
        }
    }

    static final VectorSpecies<Integer> IH = VectorSpecies.of(int.class, VectorShape.forBitSize(LS.vectorBitSize() / 2));
    static final VectorSpecies<Byte> BH = VectorSpecies.of(byte.class, VectorShape.forBitSize(LS.length() * 8));
    static final VectorSpecies<Byte> BL = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    /**
     * Requantizes {@code n} accumulators {@code acc[a + i] + bias[j + i]} of padded channels
     * [j, j+n) to int8 bytes {@code out[o + i]}, {@link #HALF} lanes at a time in 64-bit lanes (no
     * lane-splitting conversions, which JDK 17's C2 compiles poorly). Integer modes only.
     * Precondition (no masks, which would box): acc, bias and the parameter arrays are readable
     * up to {@code n} rounded up to a multiple of {@link #L}; only {@code out[o, o+n)} is written.
     */
    static void requantizeLong(int[] acc, int a, int[] bias, Params p, int j, byte[] out, int o, int n) {
        // one method per mode: each is compiled with its own profile (a shared method with a mode
        // branch deoptimized and, under load, stayed in a boxing state for seconds)
        if (p.mode == RequantMode.SINGLE_ROUNDING) requantizeSingle(acc, a, bias, p, j, out, o, n);
        else requantizeDouble(acc, a, bias, p, j, out, o, n);
    }

    private static void requantizeDouble(int[] acc, int a, int[] bias, Params p, int j, byte[] out, int o, int n) {
        for (int i = 0; i < n; i += HALF) {
            IntVector x = IntVector.fromArray(IH, acc, a + i).add(IntVector.fromArray(IH, bias, j + i));
            LongVector xl = (LongVector) x.mul(IntVector.fromArray(IH, p.pow2Left, j + i)).convertShape(VectorOperators.I2L, LS, 0);
            LongVector ab = xl.mul(LongVector.fromArray(LS, p.mult, j + i));
            LongVector t = ab.add(LongVector.broadcast(LS, NUDGE_POS).blend(NUDGE_NEG, ab.compare(VectorOperators.LT, 0)));
            LongVector hi = t.add(LongVector.zero(LS).blend(TRUNC_BIAS, t.compare(VectorOperators.LT, 0))).lanewise(VectorOperators.ASHR, 31);
            LongVector rem = hi.and(LongVector.fromArray(LS, p.maskL, j + i));
            LongVector thr = LongVector.fromArray(LS, p.thresholdBaseL, j + i).add(1, hi.compare(VectorOperators.LT, 0));
            LongVector r = hi.lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, p.rightL, j + i)).add(1, rem.compare(VectorOperators.GT, thr));
            r = r.max(-256).min(255).add(p.zeroPoint).max(p.actMin).min(p.actMax);
            ByteVector bytes = (ByteVector) r.convertShape(VectorOperators.L2B, BH, 0);
            if (i + HALF <= n) {
                bytes.intoArray(out, o + i);
            } else {
                bytes.intoArray(p.tail, 0);
                System.arraycopy(p.tail, 0, out, o + i, n - i);
            }
        }
    }

    private static void requantizeSingle(int[] acc, int a, int[] bias, Params p, int j, byte[] out, int o, int n) {
        for (int i = 0; i < n; i += HALF) {
            IntVector x = IntVector.fromArray(IH, acc, a + i).add(IntVector.fromArray(IH, bias, j + i));
            LongVector xl = (LongVector) x.convertShape(VectorOperators.I2L, LS, 0);
            LongVector r = xl.mul(LongVector.fromArray(LS, p.mult, j + i)).add(LongVector.fromArray(LS, p.round, j + i))
                    .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, p.totalShift, j + i));
            r = r.max(-256).min(255).add(p.zeroPoint).max(p.actMin).min(p.actMax);
            ByteVector bytes = (ByteVector) r.convertShape(VectorOperators.L2B, BH, 0);
            if (i + HALF <= n) {
                bytes.intoArray(out, o + i);
            } else {
                bytes.intoArray(p.tail, 0);
                System.arraycopy(p.tail, 0, out, o + i, n - i);
            }
        }
    }

    /**
     * {@link QuantMath#multiplyByQuantizedMultiplier} (or its single-rounding variant) of int32 values held in 64-bit
     * lanes, one multiplier for all lanes; the result is again an int32 value in each lane. The double-rounding left
     * shift wraps in 32 bits as the scalar {@code x * (1 << left)} does (shift up by 32 + left, back down by 32).
     */
    static LongVector mulLong(LongVector x, int multiplier, int shift, boolean single) {
        LongVector m = LongVector.broadcast(LS, multiplier);
        if (single) {
            int total = 31 - shift;
            return x.mul(m).add(1L << (total - 1)).lanewise(VectorOperators.ASHR, total).max(Integer.MIN_VALUE).min(Integer.MAX_VALUE);
        }
        int left = Math.max(shift, 0), right = Math.max(-shift, 0);
        long mask = (1L << right) - 1;
        if (left > 0) x = x.lanewise(VectorOperators.LSHL, 32 + left).lanewise(VectorOperators.ASHR, 32);
        LongVector ab = x.mul(m);
        LongVector t = ab.add(LongVector.broadcast(LS, NUDGE_POS).blend(NUDGE_NEG, ab.compare(VectorOperators.LT, 0)));
        LongVector hi = t.add(LongVector.zero(LS).blend(TRUNC_BIAS, t.compare(VectorOperators.LT, 0))).lanewise(VectorOperators.ASHR, 31);
        LongVector thr = LongVector.broadcast(LS, mask >> 1).add(1, hi.compare(VectorOperators.LT, 0));
        return hi.lanewise(VectorOperators.ASHR, right).add(1, hi.and(mask).compare(VectorOperators.GT, thr));
    }

    /** {@link RequantMode#FLOAT_SCALE} counterpart of {@link #requantizeLong}, {@link #L} lanes at a time; same precondition. */
    static void requantizeFloat(int[] acc, int a, int[] bias, Params p, int j, byte[] out, int o, int n) {
        int magicBits = Float.floatToRawIntBits(ROUND_MAGIC);
        for (int i = 0; i < n; i += L) {
            IntVector x = IntVector.fromArray(IS, acc, a + i).add(IntVector.fromArray(IS, bias, j + i));
            FloatVector v = ((FloatVector) x.convertShape(VectorOperators.I2F, FS, 0)).mul(FloatVector.fromArray(FS, p.scale, j + i));
            IntVector r = ((IntVector) v.max(-1.0e6f).min(1.0e6f).add(ROUND_MAGIC).reinterpretShape(IS, 0)).sub(magicBits);
            r = r.max(-256).min(255).add(p.zeroPoint).max(p.actMin).min(p.actMax);
            ByteVector bytes = (ByteVector) r.convertShape(VectorOperators.I2B, BL, 0);
            if (i + L <= n) {
                bytes.intoArray(out, o + i);
            } else {
                bytes.intoArray(p.tail, 0);
                System.arraycopy(p.tail, 0, out, o + i, n - i);
            }
        }
    }

    static IntVector srdhm(IntVector x, LongVector m) {
        LongVector r0 = srdhmHalf((LongVector) x.convertShape(VectorOperators.I2L, LS, 0), m);
        LongVector r1 = srdhmHalf((LongVector) x.convertShape(VectorOperators.I2L, LS, 1), m);
        return join(r0, r1);
    }

    private static LongVector srdhmHalf(LongVector x, LongVector m) {
        LongVector ab = x.mul(m);
        VectorMask<Long> neg = ab.compare(VectorOperators.LT, 0);
        LongVector t = ab.add(LongVector.broadcast(LS, NUDGE_POS).blend(NUDGE_NEG, neg));
        // division by 2^31 truncating toward zero = arithmetic shift after biasing negatives
        VectorMask<Long> tneg = t.compare(VectorOperators.LT, 0);
        return t.add(LongVector.zero(LS).blend(TRUNC_BIAS, tneg)).lanewise(VectorOperators.ASHR, 31);
    }

    private static IntVector join(LongVector lo, LongVector hi) {
        IntVector a = (IntVector) lo.convertShape(VectorOperators.L2I, IS, 0);
        IntVector b = (IntVector) hi.convertShape(VectorOperators.L2I, IS, -1);
        return a.or(b);
    }

    /** roundingDivideByPOT with per-lane exponent, mask = 2^e − 1 and thresholdBase = mask >> 1. */
    static IntVector rdbpot(IntVector x, IntVector exponent, IntVector mask, IntVector thresholdBase) {
        IntVector remainder = x.and(mask);
        IntVector threshold = thresholdBase.add(1, x.compare(VectorOperators.LT, 0));
        return x.lanewise(VectorOperators.ASHR, exponent).add(1, remainder.compare(VectorOperators.GT, threshold));
    }

}
