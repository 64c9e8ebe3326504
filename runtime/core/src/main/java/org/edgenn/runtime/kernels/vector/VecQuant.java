package org.edgenn.runtime.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.quant.Requantizer;

/**
 * Lane-wise versions of {@link QuantMath}'s requantization, bit-exact to the scalar methods
 * (the kernel suite checks this). Per-channel parameters are prepared once into padded arrays
 * ({@link Params}); 64-bit products are formed in {@link LongVector} lanes.
 *
 * <h2>Double rounding without sign branches</h2>
 * For int32 x and a multiplier q (never both {@code MIN_VALUE}), with {@code ab = x·q} in 64 bits:
 * <ul>
 * <li>{@code saturatingRoundingDoublingHighMul} = trunc((ab + nudge) / 2^31) with nudge 2^30 for
 * ab ≥ 0 and 1 − 2^30 for ab < 0. For ab < 0 the sum is negative, and truncating division of a
 * negative t equals {@code (t + 2^31 − 1) >> 31}; the two corrections add up to 2^30 again. So it
 * is {@code (ab + 2^30) >> 31} for every ab.</li>
 * <li>{@code roundingDivideByPOT(x, e)}, e ≥ 1 (round half away from zero) is
 * {@code (x + 2^(e−1) − [x < 0]) >> e}: with r = x mod 2^e, the reference adds 1 to
 * {@code x >> e} when r > 2^(e−1) − 1 (x ≥ 0) or r > 2^(e−1) (x < 0), which is when
 * {@code r + 2^(e−1) − [x < 0]} reaches 2^e. In 64-bit lanes nothing overflows.</li>
 * </ul>
 */
final class VecQuant {
    private VecQuant() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    static final int L = IS.length();
    static final int HALF = LS.length();

    private static final long NUDGE = 1L << 30;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 · 2^23: (v + M) − M rounds half to even for |v| ≤ 2^22

    /** Per-channel requantization parameters padded to a multiple of {@link #L} lanes. */
    static final class Params {
        final RequantMode mode;
        final long[] mult, round, totalShift;
        final float[] scale;
        final int zeroPoint, actMin, actMax;
        /** Left shift of the double-rounding mode (a 32-bit shift wraps exactly like the reference's x·2^left). */
        final int[] left;
        /** roundingDivideByPOT per channel: exponent, 2^(e−1) (0 when e = 0), and −1 where e ≥ 1 (selects the [x < 0] term). */
        final long[] rightL, halfL, negL;
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
            mult = new long[n]; round = new long[n]; totalShift = new long[n]; scale = new float[n];
            left = new int[n]; rightL = new long[n]; halfL = new long[n]; negL = new long[n];
            for (int j = 0; j < n; j++) {
                int c = map[j];
                int m = c < 0 ? 0 : multipliers[c];
                int s = c < 0 ? 0 : shifts[c];
                int right = Math.max(-s, 0);
                mult[j] = m;
                totalShift[j] = 31 - s;
                round[j] = 1L << (30 - s);
                scale[j] = c < 0 ? 0f : floatScales[c];
                left[j] = Math.max(s, 0);
                rightL[j] = right;
                halfL[j] = right == 0 ? 0 : 1L << (right - 1);
                negL[j] = right == 0 ? 0 : -1;
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
            LongVector xl = (LongVector) x.lanewise(VectorOperators.LSHL, IntVector.fromArray(IH, p.left, j + i)).convertShape(VectorOperators.I2L, LS, 0);
            LongVector hi = xl.mul(LongVector.fromArray(LS, p.mult, j + i)).add(NUDGE).lanewise(VectorOperators.ASHR, 31);
            LongVector r = hi.add(LongVector.fromArray(LS, p.halfL, j + i))
                    .add(hi.lanewise(VectorOperators.ASHR, 63).and(LongVector.fromArray(LS, p.negL, j + i)))
                    .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, p.rightL, j + i));
            r = r.add(p.zeroPoint).max(p.actMin).min(p.actMax); // 64-bit lanes: the zero point cannot wrap, one clamp suffices
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
     * {@link #requantizeLong} in {@link RequantMode#DOUBLE_ROUNDING} for {@code rows} pixels of one channel block at once:
     * row q holds accumulators {@code acc[a + q·rowLen + i]} and goes to {@code out[o + q·outStride + i]}. The per-channel
     * parameters are loaded once per {@link #HALF} channels for all rows (the one-pixel version reloads all six per
     * pixel; the 1 → 32 conv of FashionCnn spent over half its time there). Same precondition as requantizeLong.
     */
    static void requantizeDoubleRows(int[] acc, int a, int rowLen, int rows, int[] bias, Params p, int j, byte[] out, int o,
                                     int outStride, int n) {
        for (int i = 0; i < n; i += HALF) {
            IntVector bi = IntVector.fromArray(IH, bias, j + i);
            IntVector left = IntVector.fromArray(IH, p.left, j + i);
            LongVector m = LongVector.fromArray(LS, p.mult, j + i);
            LongVector half = LongVector.fromArray(LS, p.halfL, j + i);
            LongVector neg = LongVector.fromArray(LS, p.negL, j + i);
            LongVector right = LongVector.fromArray(LS, p.rightL, j + i);
            boolean full = i + HALF <= n;
            for (int q = 0; q < rows; q++) {
                IntVector x = IntVector.fromArray(IH, acc, a + q * rowLen + i).lanewise(VectorOperators.ADD, bi);
                LongVector xl = (LongVector) x.lanewise(VectorOperators.LSHL, left).convertShape(VectorOperators.I2L, LS, 0);
                LongVector hi = xl.lanewise(VectorOperators.MUL, m).add(NUDGE).lanewise(VectorOperators.ASHR, 31);
                LongVector r = hi.lanewise(VectorOperators.ADD, half)
                        .lanewise(VectorOperators.ADD, hi.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.AND, neg))
                        .lanewise(VectorOperators.ASHR, right);
                r = r.add(p.zeroPoint).max(p.actMin).min(p.actMax);
                ByteVector bytes = (ByteVector) r.convertShape(VectorOperators.L2B, BH, 0);
                int at = o + q * outStride + i;
                if (full) {
                    bytes.intoArray(out, at);
                } else {
                    bytes.intoArray(p.tail, 0);
                    System.arraycopy(p.tail, 0, out, at, n - i);
                }
            }
        }
    }

    static void requantizeSingle(int[] acc, int a, int[] bias, Params p, int j, byte[] out, int o, int n) {
        for (int i = 0; i < n; i += HALF) {
            IntVector x = IntVector.fromArray(IH, acc, a + i).add(IntVector.fromArray(IH, bias, j + i));
            LongVector xl = (LongVector) x.convertShape(VectorOperators.I2L, LS, 0);
            LongVector r = xl.mul(LongVector.fromArray(LS, p.mult, j + i)).add(LongVector.fromArray(LS, p.round, j + i))
                    .lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, p.totalShift, j + i));
            r = r.add(p.zeroPoint).max(p.actMin).min(p.actMax); // 64-bit lanes: the zero point cannot wrap, one clamp suffices
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
        if (left > 0) x = x.lanewise(VectorOperators.LSHL, 32 + left).lanewise(VectorOperators.ASHR, 32);
        LongVector hi = x.mul(m).add(NUDGE).lanewise(VectorOperators.ASHR, 31);
        if (right == 0) return hi;
        return hi.add(1L << (right - 1)).add(hi.lanewise(VectorOperators.ASHR, 63)).lanewise(VectorOperators.ASHR, right);
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
}
