package org.edgenn.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 64-bit roundings used for the accumulators of 16-bit layers, against exact {@link BigInteger} arithmetic written
 * from the rules' definitions, and against the 32-bit primitives wherever the input fits 32 bits.
 */
class QuantMathLongTest {
    private static final BigInteger TWO = BigInteger.TWO;

    /** floor(v / 2^n) on exact integers. */
    private static BigInteger floorDiv(BigInteger v, int n) {
        return v.shiftRight(n); // BigInteger's shiftRight is a floor division for negatives too
    }

    /** round(v / 2^n), ties away from zero. */
    private static BigInteger roundAway(BigInteger v, int n) {
        if (n == 0) return v;
        BigInteger half = TWO.pow(n - 1);
        return v.signum() >= 0 ? v.add(half).shiftRight(n) : v.negate().add(half).shiftRight(n).negate();
    }

    private static long[] samples(Random r) {
        long[] v = new long[4000];
        for (int i = 0; i < v.length; i++) {
            int kind = i % 4;
            v[i] = switch (kind) {
                case 0 -> r.nextInt();
                case 1 -> r.nextLong() >> 16; // ±2^47: the range of 16-bit layers' accumulators
                case 2 -> (r.nextBoolean() ? 1 : -1) * ((1L << (1 + r.nextInt(46))) + r.nextInt(3) - 1); // powers of two ±1
                default -> r.nextLong() >> 34;
            };
        }
        return v;
    }

    @Test
    void doublingHighMulIsTheRoundedQ31ProductAndExtendsThe32BitOne() {
        Random r = new Random(5);
        for (long a : samples(r)) {
            int b = (1 << 30) + r.nextInt(1 << 30);
            BigInteger exact = floorDiv(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).add(TWO.pow(30)), 31);
            assertEquals(exact.longValueExact(), QuantMath.saturatingRoundingDoublingHighMul(a, b), "a=" + a + " b=" + b);
            if (a == (int) a) assertEquals(QuantMath.saturatingRoundingDoublingHighMul((int) a, b), QuantMath.saturatingRoundingDoublingHighMul(a, b), "a=" + a);
        }
        // ties: a·b/2^31 = ±1.5 rounds toward +inf as gemmlowp's
        assertEquals(2, QuantMath.saturatingRoundingDoublingHighMul(3L, 1 << 30));
        assertEquals(-1, QuantMath.saturatingRoundingDoublingHighMul(-3L, 1 << 30));
    }

    @Test
    void roundingDivideByPotRoundsHalfAwayFromZero() {
        Random r = new Random(6);
        for (long x : samples(r)) {
            int e = r.nextInt(40);
            assertEquals(roundAway(BigInteger.valueOf(x), e).longValueExact(), QuantMath.roundingDivideByPOT(x, e), "x=" + x + " e=" + e);
            if (x == (int) x && e <= 31) assertEquals(QuantMath.roundingDivideByPOT((int) x, e), QuantMath.roundingDivideByPOT(x, e));
        }
        assertEquals(-2, QuantMath.roundingDivideByPOT(-3L, 1));
        assertEquals(2, QuantMath.roundingDivideByPOT(3L, 1));
    }

    @Test
    void multipliersEqualThe32BitOnesOnIntInputsAndTheExactRuleBeyond() {
        Random r = new Random(7);
        for (long x : samples(r)) {
            QuantMath.QuantizedMultiplier m = QuantMath.quantizeMultiplier(Math.scalb(0.5 + r.nextDouble() / 2, -1 - r.nextInt(24)));
            long doubleRounded = QuantMath.multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
            BigInteger high = floorDiv(BigInteger.valueOf(x).multiply(BigInteger.valueOf(m.multiplier())).add(TWO.pow(30)), 31);
            assertEquals(roundAway(high, -m.shift()).longValueExact(), doubleRounded, "x=" + x + " " + m);
            int single = QuantMath.multiplyByQuantizedMultiplierSingleRounding(x, m.multiplier(), m.shift());
            BigInteger once = floorDiv(BigInteger.valueOf(x).multiply(BigInteger.valueOf(m.multiplier())).add(TWO.pow(30 - m.shift())), 31 - m.shift());
            long clamped = once.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).longValueExact();
            assertEquals(clamped, single, "x=" + x + " " + m);
            if (x == (int) x) {
                assertEquals(QuantMath.multiplyByQuantizedMultiplier((int) x, m.multiplier(), m.shift()), doubleRounded);
                assertEquals(QuantMath.multiplyByQuantizedMultiplierSingleRounding((int) x, m.multiplier(), m.shift()), single);
            }
        }
    }

    @Test
    void requantizerClampsToTheOutputWidth() {
        QuantParams in = new QuantParams(0.01f, 0, 16);
        QuantParams out = new QuantParams(0.01f, 100, 16);
        Requantizer rq = Requantizer.prepare(in, ChannelScales.perTensor(1f, 1), out, RequantMode.DOUBLE_ROUNDING);
        assertEquals(32767, rq.apply(1L << 40, 0));
        assertEquals(-32768, rq.apply(-(1L << 40), 0));
        assertEquals(100 + 12345, rq.apply(12345L, 0));
        assertEquals(rq.apply(-20000, 0), rq.apply(-20000L, 0));
    }
}
