package org.edgenn.runtime.quant;

/**
 * Integer-only requantization primitives (Jacob et al. 2018; gemmlowp / TFLite semantics).
 *
 * <p>This class is the single source of truth for the project's fixed-point arithmetic: the
 * scalar kernels, the vector kernels (lane by lane) and the hardware functional model all call
 * or mirror these methods, and the tests check them against exact {@code BigInteger}/double
 * references.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>A real multiplier {@code M > 0} is represented as a pair (quantized multiplier
 *       {@code q}, shift {@code s}) with {@code M ≈ q · 2^(s − 31)} and
 *       {@code q ∈ [2^30, 2^31 − 1]} (a Q0.31 number in [0.5, 1)). {@code M == 0} is (0, 0).</li>
 *   <li><b>Shift sign:</b> a positive {@code s} means a left shift (M ≥ 1), a negative one a
 *       right shift (M &lt; 0.5). This is TFLite's convention.</li>
 *   <li><b>Rounding rule (written down once):</b> every rounding step rounds to nearest; ties
 *       differ by step, exactly as in gemmlowp/TFLite: {@link #saturatingRoundingDoublingHighMul}
 *       rounds ties toward +∞ (its nudge is +2^30 or 1 − 2^30 before a truncating division, so
 *       −1.5 → −1 and 1.5 → 2); {@link #roundingDivideByPOT} rounds ties away from zero
 *       (−1.5 → −2); the {@link RequantMode#SINGLE_ROUNDING} variant rounds once, ties toward +∞
 *       (adds 2^(n−1) and shifts arithmetically, as TFLite's {@code TFLITE_SINGLE_ROUNDING});
 *       {@link RequantMode#FLOAT_SCALE} rounds ties to even (as {@code nearbyintf} / {@code cvtps2dq}).</li>
 *   <li><b>Saturation:</b> the only saturating case of the doubling high multiply is
 *       {@code a == b == Integer.MIN_VALUE}, which returns {@code Integer.MAX_VALUE}. The left
 *       shift {@code x · 2^s} wraps in 32 bits like Java's {@code int} (TFLite leaves the
 *       overflow undefined; callers keep |x·2^s| &lt; 2^31, which the kernels guarantee).</li>
 * </ul>
 */
public final class QuantMath {
    private QuantMath() {}

    /** Result holder of {@link #quantizeMultiplier(double)}: multiplier and shift. */
    public record QuantizedMultiplier(int multiplier, int shift) {
        /** The real value this pair represents: {@code multiplier · 2^(shift − 31)}. */
        public double realValue() {
            return Math.scalb((double) multiplier, shift - 31);
        }
    }

    /**
     * Decomposes a real multiplier {@code m ≥ 0} into (q, s) with {@code m ≈ q · 2^(s−31)},
     * {@code q ∈ [2^30, 2^31)}; q is rounded to nearest (ties away from zero).
     * Edge cases, exactly as TFLite: when rounding yields 2^31 the pair becomes (2^30, s+1);
     * when {@code s < −31} the multiplier is too small to represent and becomes (0, 0).
     * Multipliers with {@code s > 30} (m ≥ 2^30) are rejected: they cannot be applied in 32 bits.
     *
     * @throws IllegalArgumentException if m is negative, NaN, infinite or ≥ 2^30
     */
    public static QuantizedMultiplier quantizeMultiplier(double m) {
        if (!(m >= 0) || Double.isInfinite(m)) {
            throw new IllegalArgumentException("real multiplier must be finite and >= 0, got " + m);
        }
        if (m == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        if (m < Double.MIN_NORMAL) {
            return new QuantizedMultiplier(0, 0); // far below 2^-32: flushes to zero like TFLite
        }
        // frexp: m = f * 2^e with f in [0.5, 1)
        int e = Math.getExponent(m) + 1;
        double f = Math.scalb(m, -e);
        long q = Math.round(f * (1L << 31)); // f > 0, so Math.round is half away from zero here
        if (q == (1L << 31)) {
            q /= 2;
            e++;
        }
        if (e < -31) {
            return new QuantizedMultiplier(0, 0);
        }
        if (e > 30) {
            throw new IllegalArgumentException("real multiplier " + m + " too large (shift " + e + " > 30)");
        }
        return new QuantizedMultiplier((int) q, e);
    }

    /**
     * {@code round(a · b / 2^31)} with ties toward +∞, i.e. the high 32 bits of the doubled
     * 64-bit product, rounded. Real meaning: if a and b are Q0.31 fixed-point numbers, the result
     * is their product in Q0.31. Saturates only for {@code a == b == Integer.MIN_VALUE}
     * (the true result 2^31 does not fit), returning {@code Integer.MAX_VALUE}.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        // Java's long division truncates toward zero, as C's does in gemmlowp.
        return (int) ((ab + nudge) / (1L << 31));
    }

    /**
     * {@code round(x / 2^exponent)} with ties away from zero (gemmlowp's
     * {@code RoundingDivideByPOT}). Real meaning: an arithmetic right shift that rounds to nearest.
     * No saturation is possible. {@code exponent} must be in [0, 31].
     */
    public static int roundingDivideByPOT(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent must be in [0, 31], got " + exponent);
        }
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (Integer.compareUnsigned(remainder, threshold) > 0 ? 1 : 0);
    }

    /**
     * TFLite's default (double-rounding) {@code MultiplyByQuantizedMultiplier}: approximately
     * {@code x · q · 2^(shift − 31)}, computed as
     * {@code roundingDivideByPOT(saturatingRoundingDoublingHighMul(x · 2^max(shift,0), q), max(−shift,0))}.
     * Two roundings (see the class comment for their tie rules). Shift sign: positive = left.
     */
    public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << left), quantizedMultiplier), right);
    }

    /**
     * TFLite's single-rounding variant ({@code TFLITE_SINGLE_ROUNDING}):
     * {@code floor((x · q + 2^(30 − shift)) / 2^(31 − shift))}, i.e. x · q · 2^(shift−31) rounded
     * once, ties toward +∞. Shift must be in [−31, 30]. The 64-bit result saturates to int32
     * (TFLite only asserts it fits).
     */
    public static int multiplyByQuantizedMultiplierSingleRounding(int x, int quantizedMultiplier, int shift) {
        if (shift < -31 || shift > 30) {
            throw new IllegalArgumentException("shift must be in [-31, 30], got " + shift);
        }
        int totalShift = 31 - shift;
        long round = 1L << (totalShift - 1);
        long r = ((long) x * (long) quantizedMultiplier + round) >> totalShift;
        return saturateToInt(r);
    }

    // ------------------------------------------------------------------ 64-bit accumulators
    // Layers with 16-bit activations can need accumulators wider than 32 bits (see Conv2d#accumulatorBound). These are
    // the same roundings on a 64-bit input, exact through the 128-bit product (Math.multiplyHigh): for an x that fits
    // in 32 bits (and x·2^left too) each equals its 32-bit counterpart above.

    /**
     * {@link #saturatingRoundingDoublingHighMul(int, int)} for a 64-bit {@code a}: {@code floor((a·b + 2^30) / 2^31)},
     * which is the 32-bit version's rounding (nudge then truncating division) written as one floor, computed on the
     * exact 128-bit product. The result fits in 64 bits for every {@code a} and {@code b} ≥ 0 below 2^31.
     */
    public static long saturatingRoundingDoublingHighMul(long a, int b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        long lo2 = lo + (1L << 30);
        if (Long.compareUnsigned(lo2, lo) < 0) hi++; // carry out of the low word
        return (hi << 33) | (lo2 >>> 31);
    }

    /** {@link #roundingDivideByPOT(int, int)} on 64 bits (ties away from zero); {@code exponent} in [0, 62]. */
    public static long roundingDivideByPOT(long x, int exponent) {
        if (exponent < 0 || exponent > 62) {
            throw new IllegalArgumentException("exponent must be in [0, 62], got " + exponent);
        }
        long mask = (1L << exponent) - 1;
        long remainder = x & mask;
        long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * {@link #multiplyByQuantizedMultiplier(int, int, int)} on a 64-bit accumulator (double rounding). The left shift
     * of a multiplier ≥ 1 is done in 64 bits (callers keep |x·2^shift| &lt; 2^63: a 16-bit layer's bound is below 2^48).
     */
    public static long multiplyByQuantizedMultiplier(long x, int quantizedMultiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x << left, quantizedMultiplier), right);
    }

    /**
     * {@link #multiplyByQuantizedMultiplierSingleRounding(int, int, int)} on a 64-bit accumulator:
     * {@code floor((x·q + 2^(30 − shift)) / 2^(31 − shift))} on the exact 128-bit product, saturated to int32.
     */
    public static int multiplyByQuantizedMultiplierSingleRounding(long x, int quantizedMultiplier, int shift) {
        if (shift < -31 || shift > 30) {
            throw new IllegalArgumentException("shift must be in [-31, 30], got " + shift);
        }
        int totalShift = 31 - shift; // 1..62
        long lo = x * quantizedMultiplier;
        long hi = Math.multiplyHigh(x, quantizedMultiplier);
        long lo2 = lo + (1L << (totalShift - 1));
        if (Long.compareUnsigned(lo2, lo) < 0) hi++;
        // the 128-bit value (hi, lo2) shifted right arithmetically by totalShift, then saturated to 32 bits
        long high = hi >> totalShift; // what lies above the 64-bit result
        long r = (hi << (64 - totalShift)) | (lo2 >>> totalShift);
        if (high != (r >> 63)) return hi < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        return saturateToInt(r);
    }

    /** Float-scale requantization of a 64-bit accumulator: {@code rint((float) acc · scale)}, clamped like the 32-bit one. */
    public static int multiplyByFloatScale(long acc, float scale) {
        float v = (float) acc * scale;
        if (v > 2.0e9f) return Integer.MAX_VALUE;
        if (v < -2.0e9f) return Integer.MIN_VALUE;
        return (int) Math.rint(v);
    }

    /** Float-scale requantization as ONNX Runtime's MLAS: {@code rint((float) acc · scale)}, ties to even. */
    public static int multiplyByFloatScale(int acc, float scale) {
        float v = (float) acc * scale;
        // clamp in float first so the int conversion is defined; callers clamp again to int8
        if (v > 2.0e9f) return Integer.MAX_VALUE;
        if (v < -2.0e9f) return Integer.MIN_VALUE;
        return (int) Math.rint(v);
    }

    /**
     * {@code round(x / d)} for {@code d > 0}, ties away from zero: TFLite's average-pool rounding
     * {@code x > 0 ? (x + d/2) / d : (x − d/2) / d} with a truncating division, evaluated in 64 bits
     * so that no operand can overflow. The result always fits in int32.
     *
     * @throws IllegalArgumentException if d is not positive
     */
    public static int roundingDivide(int x, int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("divisor must be positive, got " + d);
        }
        long half = d / 2;
        return (int) (x > 0 ? ((long) x + half) / d : ((long) x - half) / d);
    }

    /** Saturates a 64-bit value to the int32 range. */
    public static int saturateToInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    /** Saturates to a signed two's complement range of {@code bits} bits (2..32). */
    public static long saturateToBits(long v, int bits) {
        long max = (1L << (bits - 1)) - 1;
        long min = -(1L << (bits - 1));
        return v > max ? max : Math.max(v, min);
    }

    /**
     * {@code v} wrapped to a signed {@code bits}-bit integer (two's complement, bits 1..64): what an adder of that width
     * without saturation keeps, {@code v mod 2^bits} in {@code [-2^(bits-1), 2^(bits-1))}.
     */
    public static long wrapToBits(long v, int bits) {
        return bits >= 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    /** Clamps to [lo, hi]. */
    public static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
