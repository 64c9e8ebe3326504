package org.edgenn.runtime.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;

/** Saturation of narrow accumulators, MAC by MAC (or tap by tap, term by term) in loop order. */
class FunctionalModelTest {
    private static final LayerQuant Q = LayerQuant.of(new QuantParams(1f, 0), ChannelScales.perTensor(1f, 1),
            new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING);

    /** A 1x1 "conv" over C channels with one output: acc = Σ x[c]·w[c] in loop order c = 0..C-1. */
    private static Conv2d dot(byte[] w) {
        return Conv2d.prepare(Conv2dSpec.of(1, 1, 1, w.length, 1, 1, 1), w, null, Q, Backend.SCALAR);
    }

    @Test
    void sixteenBitAccumulatorSaturatesAndTheOrderMatters() {
        // products +16129 three times, then -16129 three times; true sum 0
        byte[] w = {127, 127, 127, -127, -127, -127};
        byte[] x = new byte[6];
        Arrays.fill(x, (byte) 127);
        FunctionalModel hw16 = new FunctionalModel(new AcceleratorArithmetic("acc16", 16, RequantMode.DOUBLE_ROUNDING));
        int[] acc = new int[1];
        hw16.accumulate(dot(w), x, acc);
        // 16129, 32258, then 48387 saturates to 32767; 32767 - 3*16129 = -15620 (no further saturation)
        assertEquals(32767 - 3 * 16129, acc[0]);
        assertEquals(1, hw16.lastSaturations());
        // a 32-bit accumulator sees the true sum
        FunctionalModel hw32 = new FunctionalModel(AcceleratorArithmetic.int32("acc32"));
        hw32.accumulate(dot(w), x, acc);
        assertEquals(0, acc[0]);
        assertEquals(0, hw32.lastSaturations());
    }

    @Test
    void saturatesAtBothEndsOfTheDeclaredWidth() {
        for (int bits : new int[] {12, 20, 24}) {
            long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
            int c = (int) (max / 16384) + 3; // enough (-128)·(-128) products to pass max
            byte[] w = new byte[c], x = new byte[c];
            Arrays.fill(w, (byte) -128);
            Arrays.fill(x, (byte) -128);
            FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("n", bits, RequantMode.DOUBLE_ROUNDING));
            int[] acc = new int[1];
            hw.accumulate(dot(w), x, acc);
            assertEquals(max, acc[0], bits + " bits, positive");
            Arrays.fill(x, (byte) 127);
            hw.accumulate(dot(w), x, acc);
            assertEquals(Math.max(min, -128L * 127 * c), acc[0], bits + " bits, negative");
        }
    }

    @Test
    void int32OverflowSaturatesInTheModelButWrapsInTheKernels() {
        // bias near INT_MAX plus positive products overflows 32 bits
        byte[] w = {127};
        byte[] x = {127};
        Conv2d layer = Conv2d.prepare(Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1), w, new int[] {Integer.MAX_VALUE - 100}, Q,
                KernelBackend.defaultBackend());
        int[] kernelAcc = new int[1], hwAcc = new int[1];
        layer.accumulate(x, kernelAcc);
        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("acc32"));
        hw.accumulate(layer, x, hwAcc);
        assertEquals(Integer.MAX_VALUE, hwAcc[0]);
        assertEquals(Integer.MAX_VALUE - 100 + 16129, kernelAcc[0]); // Java int wraps: documented
        assertNotEquals(hwAcc[0], kernelAcc[0]);
        assertEquals(1, hw.lastSaturations());
    }

    @Test
    void rejectsBadWidthsAndBuffers() {
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorArithmetic("x", 65, RequantMode.DOUBLE_ROUNDING));
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorArithmetic("x", 1, RequantMode.DOUBLE_ROUNDING));
        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("a"));
        assertThrows(IllegalArgumentException.class, () -> hw.accumulate(dot(new byte[3]), new byte[2], new int[1]));
    }

    private static Pool2d avgPool(int h, int w, int c, int f, int pad) {
        return Pool2d.prepare(Pool2d.Kind.AVG, 1, h, w, c, f, f, 1, 1, pad, pad, pad, pad, Backend.SCALAR);
    }

    @Test
    void avgPoolSumsSaturateAtANarrowAccumulator() {
        // one 5x5 window of 127: 16 taps reach 2032, taps 17..25 each saturate at 2047 (12 bits)
        Pool2d pool = avgPool(5, 5, 1, 5, 0);
        byte[] in = new byte[25], out = new byte[1], kernel = new byte[1];
        Arrays.fill(in, (byte) 127);
        FunctionalModel hw12 = new FunctionalModel(new AcceleratorArithmetic("acc12", 12, RequantMode.DOUBLE_ROUNDING));
        hw12.run(pool, in, out);
        assertEquals(9, hw12.lastSaturations());
        assertEquals(82, out[0]); // round(2047 / 25) = round(81.88)
        pool.run(in, kernel);
        assertEquals(127, kernel[0]); // the kernels' 32-bit sum is exact
        FunctionalModel hw32 = new FunctionalModel(AcceleratorArithmetic.int32("acc32"));
        hw32.run(pool, in, out);
        assertEquals(0, hw32.lastSaturations());
        assertEquals(kernel[0], out[0]);

        // negative end: 16 taps of -128 reach -2048 = the minimum exactly (no event), taps 17..25 saturate
        Arrays.fill(in, (byte) -128);
        hw12.run(pool, in, out);
        assertEquals(9, hw12.lastSaturations());
        assertEquals(-82, out[0]); // round(-2048 / 25) = round(-81.92), ties and all away from zero
        pool.run(in, kernel);
        assertEquals(-128, kernel[0]);
    }

    @Test
    void avgPoolSaturationDependsOnTapOrderAndCountsOnlyValidTaps() {
        // 8-bit accumulator [-128, 127], 1x3 window over a row (127, 127, -128), padding 1 both sides
        Pool2d pool = Pool2d.prepare(Pool2d.Kind.AVG, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 0, 1, Backend.SCALAR);
        byte[] in = {127, 127, -128}, out = new byte[3], kernel = new byte[3];
        FunctionalModel hw8 = new FunctionalModel(new AcceleratorArithmetic("acc8", 8, RequantMode.DOUBLE_ROUNDING));
        hw8.run(pool, in, out);
        pool.run(in, kernel);
        // ox=0: taps (pad, 127, 127): 127 then 254 -> 127 (1 event), 2 valid taps: round(127/2) = 64 (kernel: 127)
        // ox=1: taps (127, 127, -128): 127, 254 -> 127 (1 event), then -1: round(-1/3) = 0 (kernel: round(126/3) = 42)
        // ox=2: taps (127, -128, pad): 127, -1: round(-1/2) = -1 (tie away from zero; kernel: the same, no overflow)
        assertArrayEquals(new byte[] {64, 0, -1}, out);
        assertArrayEquals(new byte[] {127, 42, -1}, kernel);
        assertEquals(2, hw8.lastSaturations());
    }

    @Test
    void maxPoolSoftThresholdAndClampNeverSaturate() {
        byte[] in = new byte[36];
        Arrays.fill(in, (byte) 127);
        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("acc2", 2, RequantMode.DOUBLE_ROUNDING));
        byte[] out = new byte[36];
        hw.run(Pool2d.prepare(Pool2d.Kind.MAX, 1, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, Backend.SCALAR), in, out);
        assertEquals(0, hw.lastSaturations());
        assertArrayEquals(in, out); // a max never accumulates: 2 bits do not matter
        byte[] st = new byte[36];
        hw.run(SoftThreshold.prepare(new byte[] {0, 1, 100, 127}, -128, Backend.SCALAR), in, st);
        assertEquals(0, hw.lastSaturations());
        assertArrayEquals(new byte[] {127, 126, 27, 0}, Arrays.copyOf(st, 4)); // d = 255 shrunk by θ, plus zp -128
        byte[] cl = new byte[36];
        hw.clamp(in, cl, -5, 6);
        assertEquals(6, cl[0]);
        assertThrows(IllegalArgumentException.class, () -> hw.clamp(in, cl, 7, 6));
    }

    @Test
    void addFitsTwentyNineBitsAndSaturatesBelow() {
        // equal scales: both terms (x − zp)·2^20·(1/2); the extreme (127 − (−128))·2^19 twice is 255·2^20 < 2^28
        QuantParams q = new QuantParams(1f, -128);
        Add add = Add.prepare(q, q, new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING, -128, 127, Backend.SCALAR);
        byte[] a = {127, -128, -1}, b = {127, -128, 0}, kernel = new byte[3], out = new byte[3];
        add.run(a, b, kernel);
        FunctionalModel hw29 = new FunctionalModel(new AcceleratorArithmetic("acc29", 29, RequantMode.DOUBLE_ROUNDING));
        hw29.run(add, a, b, out);
        assertEquals(0, hw29.lastSaturations());
        assertArrayEquals(kernel, out);
        FunctionalModel hw28 = new FunctionalModel(new AcceleratorArithmetic("acc28", 28, RequantMode.DOUBLE_ROUNDING));
        hw28.run(add, a, b, out);
        assertEquals(1, hw28.lastSaturations()); // only the second term of the extreme element
        assertArrayEquals(kernel, out); // saturated at 2^27 − 1, the output 127 is clamped anyway
        // a 24-bit accumulator: every term of 127 − 0 saturates, and the output is wrong
        Add add0 = Add.prepare(new QuantParams(1f, 0), new QuantParams(1f, 0), new QuantParams(1f, 0),
                RequantMode.DOUBLE_ROUNDING, -128, 127, Backend.SCALAR);
        byte[] x = {127}, y = {127}, o = new byte[1], k = new byte[1];
        add0.run(x, y, k);
        FunctionalModel hw24 = new FunctionalModel(new AcceleratorArithmetic("acc24", 24, RequantMode.DOUBLE_ROUNDING));
        hw24.run(add0, x, y, o);
        assertEquals(127, k[0]); // 254 clamped
        assertEquals(2, hw24.lastSaturations());
        assertEquals(16, o[0]); // (2^23 − 1)·2^−19 = 15.99998 -> 16
    }

    @Test
    void addUsesTheAcceleratorsRoundingMode() {
        // found by search: one element on which the two integer requantization modes disagree
        QuantParams qa = new QuantParams(Float.intBitsToFloat(1048618154), -109); // 0.2512563
        QuantParams qb = new QuantParams(Float.intBitsToFloat(1057161053), 11);   // 0.51170903
        QuantParams qo = new QuantParams(Float.intBitsToFloat(1041378765), 0);    // 0.14275284
        byte[] a = {67}, b = {-75};
        for (RequantMode mode : new RequantMode[] {RequantMode.DOUBLE_ROUNDING, RequantMode.SINGLE_ROUNDING}) {
            byte[] kernel = new byte[1], out = new byte[1];
            Add.prepare(qa, qb, qo, mode, -128, 127, KernelBackend.defaultBackend()).run(a, b, kernel);
            assertEquals(mode == RequantMode.DOUBLE_ROUNDING ? 2 : 1, kernel[0], mode.toString());
            new FunctionalModel(new AcceleratorArithmetic("m", 32, mode))
                    .run(Add.prepare(qa, qb, qo, mode, -128, 127, Backend.SCALAR), a, b, out);
            assertEquals(kernel[0], out[0], mode.toString());
        }
    }

    @Test
    void nonMacOpsRejectBadBuffersAndFloatScaleAdd() {
        QuantParams q = new QuantParams(0.1f, 0);
        Add add = Add.prepare(q, q, q, RequantMode.DOUBLE_ROUNDING);
        FunctionalModel fl = new FunctionalModel(new AcceleratorArithmetic("f", 32, RequantMode.FLOAT_SCALE));
        assertThrows(IllegalArgumentException.class, () -> fl.run(add, new byte[2], new byte[2], new byte[2]));
        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("a"));
        assertThrows(IllegalArgumentException.class, () -> hw.run(add, new byte[2], new byte[3], new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> hw.run(avgPool(3, 3, 2, 2, 0), new byte[17], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> hw.run(avgPool(3, 3, 2, 2, 0), new byte[18], new byte[7]));
        assertThrows(IllegalArgumentException.class,
                () -> hw.run(SoftThreshold.prepare(new byte[] {1, 2}, 0, Backend.SCALAR), new byte[3], new byte[3]));
    }
}
