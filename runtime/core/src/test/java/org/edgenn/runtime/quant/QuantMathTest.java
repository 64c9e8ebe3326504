package org.edgenn.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixed-point primitives against exact BigInteger / double references, on edge values and fixed-seed random values. */
class QuantMathTest {
    private static final BigInteger TWO = BigInteger.TWO;

    /** round(n / 2^e), ties away from zero, exact. */
    static BigInteger roundHalfAway(BigInteger n, int e) {
        BigInteger d = TWO.pow(e);
        BigInteger[] qr = n.abs().divideAndRemainder(d);
        BigInteger q = qr[0];
        if (qr[1].shiftLeft(1).compareTo(d) >= 0) q = q.add(BigInteger.ONE);
        return n.signum() < 0 ? q.negate() : q;
    }

    static int[] edgeInts() {
        List<Integer> v = new ArrayList<>(List.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 0, 1, -1, 2, -2, 3, -3));
        for (int k = 1; k < 31; k++) {
            int p = 1 << k;
            v.add(p); v.add(p - 1); v.add(p + 1); v.add(-p); v.add(-p + 1); v.add(-p - 1);
            v.add(p / 2 * 3); v.add(-(p / 2 * 3));
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    static int refSrdhm(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        // round(a*b / 2^31), ties toward +infinity: floor((a*b + 2^30) / 2^31)
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).add(TWO.pow(30)).shiftRight(31).intValueExact();
    }

    @Test
    void srdhmOnAllPairsOfEdgeValuesAndRandomValues() {
        int[] e = edgeInts();
        for (int a : e) for (int b : e) assertEquals(refSrdhm(a, b), QuantMath.saturatingRoundingDoublingHighMul(a, b), a + " * " + b);
        Random r = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            int a = r.nextInt(), b = r.nextInt();
            assertEquals(refSrdhm(a, b), QuantMath.saturatingRoundingDoublingHighMul(a, b), a + " * " + b);
        }
    }

    @Test
    void srdhmSaturatesOnlyForMinTimesMin() {
        assertEquals(Integer.MAX_VALUE, QuantMath.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // MIN * (MIN+1) is representable: 2^31 - 2^31/2^31... exactly (2^62 - 2^31) / 2^31 = 2^31 - 1
        assertEquals(Integer.MAX_VALUE, QuantMath.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE + 1));
        assertEquals(Integer.MIN_VALUE + 1, QuantMath.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void roundingDivideByPotOnEdgeValuesForEveryExponent() {
        Random r = new Random(2);
        for (int exp = 0; exp <= 31; exp++) {
            for (int x : edgeInts()) {
                assertEquals(roundHalfAway(BigInteger.valueOf(x), exp).intValueExact(), QuantMath.roundingDivideByPOT(x, exp), x + " >> " + exp);
            }
            for (int i = 0; i < 5_000; i++) {
                int x = r.nextInt();
                assertEquals(roundHalfAway(BigInteger.valueOf(x), exp).intValueExact(), QuantMath.roundingDivideByPOT(x, exp), x + " >> " + exp);
            }
        }
    }

    @Test
    void roundingDivideByPotTiesGoAwayFromZero() {
        assertEquals(2, QuantMath.roundingDivideByPOT(3, 1));   // 1.5 -> 2
        assertEquals(-2, QuantMath.roundingDivideByPOT(-3, 1)); // -1.5 -> -2
        assertEquals(1, QuantMath.roundingDivideByPOT(5, 2));   // 1.25 -> 1
        assertEquals(-1, QuantMath.roundingDivideByPOT(-5, 2));
        assertThrows(IllegalArgumentException.class, () -> QuantMath.roundingDivideByPOT(1, 32));
        assertThrows(IllegalArgumentException.class, () -> QuantMath.roundingDivideByPOT(1, -1));
    }

    @Test
    void roundingDivideRoundsHalfAwayFromZeroExactly() {
        assertEquals(2, QuantMath.roundingDivide(3, 2));    // 1.5 -> 2
        assertEquals(-2, QuantMath.roundingDivide(-3, 2));  // -1.5 -> -2
        assertEquals(0, QuantMath.roundingDivide(-1, 3));
        assertEquals(-1, QuantMath.roundingDivide(-1, 2));  // -0.5 -> -1
        assertEquals(0, QuantMath.roundingDivide(0, 7));
        assertEquals(Integer.MAX_VALUE, QuantMath.roundingDivide(Integer.MAX_VALUE, 1));
        assertEquals(Integer.MIN_VALUE, QuantMath.roundingDivide(Integer.MIN_VALUE, 1));
        assertEquals(1L << 30, QuantMath.roundingDivide(Integer.MAX_VALUE, 2)); // no overflow of x + d/2
        assertEquals(-(1L << 30), QuantMath.roundingDivide(Integer.MIN_VALUE, 2));
        assertThrows(IllegalArgumentException.class, () -> QuantMath.roundingDivide(1, 0));
        Random r = new Random(21);
        int[] xs = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};
        for (int t = 0; t < 200_000; t++) {
            int x = t < xs.length ? xs[t] : (t % 2 == 0 ? r.nextInt() : r.nextInt(20_001) - 10_000);
            int d = t % 3 == 0 ? 1 + r.nextInt(Integer.MAX_VALUE) : 1 + r.nextInt(400);
            // exact: round(|x| / d) half up, with the sign of x
            BigInteger[] qr = BigInteger.valueOf(x).abs().divideAndRemainder(BigInteger.valueOf(d));
            BigInteger mag = qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(d)) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
            long want = x < 0 ? -mag.longValueExact() : mag.longValueExact();
            assertEquals(want, QuantMath.roundingDivide(x, d), x + " / " + d);
        }
    }

    @Test
    void quantizeMultiplierIsWithinHalfAnUlpAndNormalized() {
        Random r = new Random(3);
        List<Double> values = new ArrayList<>();
        for (int k = -40; k < 30; k++) {
            double p = Math.scalb(1.0, k);
            values.add(p); values.add(Math.nextUp(p)); values.add(Math.nextDown(p)); values.add(p * 0.75); values.add(p * 1.5);
        }
        for (int i = 0; i < 20_000; i++) values.add(Math.scalb(r.nextDouble() + 0.5, r.nextInt(60) - 31));
        for (double m : values) {
            QuantMath.QuantizedMultiplier q = QuantMath.quantizeMultiplier(m);
            if (q.multiplier() == 0) {
                assertTrue(m < Math.scalb(1.0, -32), "only multipliers below 2^-32 may flush to zero: " + m);
                assertEquals(0, q.shift());
                continue;
            }
            assertTrue(q.multiplier() >= (1 << 30), "normalized: " + m + " -> " + q);
            assertTrue(q.shift() >= -31 && q.shift() <= 30, "shift range: " + m + " -> " + q);
            double err = Math.abs(q.realValue() - m);
            assertTrue(err <= Math.scalb(1.0, q.shift() - 32) * (1 + 1e-12), "within half ulp: " + m + " -> " + q + " err " + err);
        }
    }

    @Test
    void quantizeMultiplierEdgeCases() {
        // rounds up to 2^31: becomes (2^30, shift + 1)
        QuantMath.QuantizedMultiplier q = QuantMath.quantizeMultiplier(Math.nextDown(1.0));
        assertEquals(1 << 30, q.multiplier());
        assertEquals(1, q.shift());
        assertEquals(1.0, q.realValue());
        // exactly representable values
        assertEquals(new QuantMath.QuantizedMultiplier(1 << 30, 0), QuantMath.quantizeMultiplier(0.5));
        assertEquals(new QuantMath.QuantizedMultiplier(1 << 30, 1), QuantMath.quantizeMultiplier(1.0));
        assertEquals(new QuantMath.QuantizedMultiplier(3 << 29, -2), QuantMath.quantizeMultiplier(0.1875));
        // tiny and zero
        assertEquals(new QuantMath.QuantizedMultiplier(1 << 30, -31), QuantMath.quantizeMultiplier(Math.scalb(1.0, -32)));
        assertEquals(new QuantMath.QuantizedMultiplier(0, 0), QuantMath.quantizeMultiplier(Math.scalb(1.0, -33)));
        assertEquals(new QuantMath.QuantizedMultiplier(0, 0), QuantMath.quantizeMultiplier(Double.MIN_VALUE));
        assertEquals(new QuantMath.QuantizedMultiplier(0, 0), QuantMath.quantizeMultiplier(0.0));
        // invalid
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY, Math.scalb(1.0, 30)}) {
            assertThrows(IllegalArgumentException.class, () -> QuantMath.quantizeMultiplier(bad), "" + bad);
        }
    }

    /** The documented composition, restated with exact arithmetic. */
    static int refDoubleRounding(int x, int q, int shift) {
        int left = Math.max(shift, 0), right = Math.max(-shift, 0);
        int shifted = x * (1 << left); // documented: wraps like Java int
        int hi = refSrdhm(shifted, q);
        return roundHalfAway(BigInteger.valueOf(hi), right).intValueExact();
    }

    static int refSingleRounding(int x, int q, int shift) {
        // floor((x*q + 2^(30-shift)) / 2^(31-shift)), saturated
        BigInteger n = BigInteger.valueOf(x).multiply(BigInteger.valueOf(q)).add(TWO.pow(30 - shift));
        BigInteger r = n.shiftRight(31 - shift);
        return r.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValueExact();
    }

    @ParameterizedTest
    @ValueSource(ints = {-31, -20, -12, -8, -1, 0, 1, 5, 12})
    void multiplyByQuantizedMultiplierMatchesReferenceAndRealValue(int shift) {
        Random r = new Random(40 + shift);
        int[] qs = {0, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE, 1518500250 /* ~ sqrt(0.5) */};
        for (int x : edgeInts()) {
            for (int q : qs) {
                if (Math.abs((long) x << Math.max(shift, 0)) > Integer.MAX_VALUE) continue; // documented precondition
                assertEquals(refDoubleRounding(x, q, shift), QuantMath.multiplyByQuantizedMultiplier(x, q, shift), x + "," + q + "," + shift);
                assertEquals(refSingleRounding(x, q, shift), QuantMath.multiplyByQuantizedMultiplierSingleRounding(x, q, shift), x + "," + q + "," + shift);
            }
        }
        for (int i = 0; i < 50_000; i++) {
            int q = (1 << 30) + r.nextInt(1 << 30);
            int x = shift > 0 ? r.nextInt(1 << (30 - shift)) * (r.nextBoolean() ? 1 : -1) : r.nextInt();
            int d = QuantMath.multiplyByQuantizedMultiplier(x, q, shift);
            int s = QuantMath.multiplyByQuantizedMultiplierSingleRounding(x, q, shift);
            assertEquals(refDoubleRounding(x, q, shift), d);
            assertEquals(refSingleRounding(x, q, shift), s);
            double real = x * Math.scalb((double) q, shift - 31);
            assertTrue(Math.abs(d - real) <= 1.0 + 1e-9, "double rounding within 1 of real: " + x + "," + q + "," + shift);
            assertTrue(Math.abs(s - real) <= 0.5 + 1e-9, "single rounding within 1/2 of real: " + x + "," + q + "," + shift);
        }
    }

    @Test
    void roundingRulesDifferOnTies() {
        // x * 0.5 with x = ±3: real ±1.5. The doubling high mul rounds ties toward +inf: 2 and -1.
        assertEquals(2, QuantMath.multiplyByQuantizedMultiplier(3, 1 << 30, 0));
        assertEquals(-1, QuantMath.multiplyByQuantizedMultiplier(-3, 1 << 30, 0));
        // x * 0.25 = -0.75 ... with the shift: q = 2^30, shift -1: srdhm(-3, 2^30) = -1 (tie up), then -1/2 = -0.5 -> -1 (away)
        assertEquals(-1, QuantMath.multiplyByQuantizedMultiplier(-3, 1 << 30, -1));
        // double rounding: x = 5, multiplier 0.5 * 2^-1: srdhm(5, 2^30) = 2.5 -> 3, then 3/2 = 1.5 -> 2; the exact 1.25 rounds to 1
        assertEquals(2, QuantMath.multiplyByQuantizedMultiplier(5, 1 << 30, -1));
        assertEquals(1, QuantMath.multiplyByQuantizedMultiplierSingleRounding(5, 1 << 30, -1));
        // single rounding rounds ties toward +inf
        assertEquals(2, QuantMath.multiplyByQuantizedMultiplierSingleRounding(3, 1 << 30, 0));
        assertEquals(-1, QuantMath.multiplyByQuantizedMultiplierSingleRounding(-3, 1 << 30, 0));
        // float scale rounds ties to even
        assertEquals(2, QuantMath.multiplyByFloatScale(3, 0.5f));
        assertEquals(2, QuantMath.multiplyByFloatScale(5, 0.5f));
        assertEquals(-2, QuantMath.multiplyByFloatScale(-5, 0.5f));
    }

    @Test
    void int32MinInputs() {
        for (int shift = -31; shift <= 0; shift++) {
            for (int q : new int[] {1 << 30, Integer.MAX_VALUE}) {
                assertEquals(refDoubleRounding(Integer.MIN_VALUE, q, shift), QuantMath.multiplyByQuantizedMultiplier(Integer.MIN_VALUE, q, shift));
                assertEquals(refSingleRounding(Integer.MIN_VALUE, q, shift), QuantMath.multiplyByQuantizedMultiplierSingleRounding(Integer.MIN_VALUE, q, shift));
            }
        }
        assertEquals(Integer.MIN_VALUE, QuantMath.multiplyByFloatScale(Integer.MIN_VALUE, 2f));
    }

    @Test
    void requantizerAppliesZeroPointAndClamp() {
        QuantParams in = new QuantParams(0.5f, 3), out = new QuantParams(0.25f, -10);
        ChannelScales w = ChannelScales.perChannel(0.1f, 0.01f);
        for (RequantMode mode : RequantMode.values()) {
            Requantizer rq = Requantizer.prepare(in, w, out, mode, -20, 100);
            Random r = new Random(5);
            for (int i = 0; i < 10_000; i++) {
                int acc = r.nextInt(20_000) - 10_000;
                for (int c = 0; c < 2; c++) {
                    double real = acc * (double) in.scale() * w.scale(c) / out.scale() + out.zeroPoint();
                    double expect = Math.max(-20, Math.min(100, real));
                    int got = rq.apply(acc, c);
                    double tol = mode == RequantMode.DOUBLE_ROUNDING ? 1.0 : 0.5 + 1e-3;
                    assertTrue(Math.abs(got - expect) <= tol, mode + " acc " + acc + " ch " + c + ": " + got + " vs " + expect);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Requantizer.prepare(in, w, out, RequantMode.DOUBLE_ROUNDING, 5, 4));
    }

    @Test
    void quantParamsValidate() {
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(Float.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(1f, 128));
        assertThrows(IllegalArgumentException.class, () -> ChannelScales.perChannel(1f, -1f));
        QuantParams q = new QuantParams(0.1f, 5);
        assertEquals(5 + 10, q.quantize(1.0f));
        assertEquals(127, q.quantize(1e9f));
        assertEquals(-128, q.quantize(-1e9f));
    }
}
