package org.edgenn.runtime.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;

/** Saturation of narrow accumulators, MAC by MAC in loop order. */
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
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorArithmetic("x", 33, RequantMode.DOUBLE_ROUNDING));
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorArithmetic("x", 1, RequantMode.DOUBLE_ROUNDING));
        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("a"));
        assertThrows(IllegalArgumentException.class, () -> hw.accumulate(dot(new byte[3]), new byte[2], new int[1]));
    }
}
