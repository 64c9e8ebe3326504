package org.edgenn.runtime.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The real-to-integer rules every module shares: rounding, activation ranges, weights, bias. */
class QuantizationTest {
    @Test
    void roundsHalfAwayFromZero() {
        assertEquals(3, Quantization.round(2.5));
        assertEquals(-3, Quantization.round(-2.5));
        assertEquals(2, Quantization.round(2.4999));
        assertEquals(0, Quantization.round(-0.4));
    }

    @Test
    void activationParamsAlwaysRepresentZeroExactly() {
        for (double[] r : new double[][] {{-1, 3}, {0.5, 2}, {-4, -1}, {-0.37, 0.91}}) {
            QuantParams p = Quantization.activationParams(r[0], r[1]);
            assertEquals(0f, p.dequantize(p.quantize(0.0)), 0f);
            assertTrue(p.zeroPoint() >= -128 && p.zeroPoint() <= 127);
            double lo = Math.min(r[0], 0), hi = Math.max(r[1], 0);
            assertEquals((hi - lo) / 255, p.scale(), 1e-7);
        }
        QuantParams relu = Quantization.activationParams(0, 6);
        assertEquals(-128, relu.zeroPoint(), "non-negative range uses the full int8 range");
        assertEquals(127, relu.quantize(6.0));
        assertEquals(127, relu.quantize(100.0));
    }

    @Test
    void biasIsInt32AtInputTimesWeightScale() {
        assertEquals((int) Math.round(0.123 / (0.02 * 0.01)), Quantization.quantizeBias(0.123, 0.02, 0.01));
        assertEquals(-(int) Math.round(0.0411 / (0.02 * 0.005)), Quantization.quantizeBias(-0.0411, 0.02, 0.005));
        assertThrows(ArithmeticException.class, () -> Quantization.quantizeBias(1e9, 1e-6, 1e-6));
    }

    @Test
    void weightsAreSymmetricPerChannel() {
        assertEquals(0.5f / 127, Quantization.weightScale(0.5, 8));
        assertEquals(1f / 127, Quantization.weightScale(0, 8), "an all-zero channel still has a scale");
        assertEquals(127, Quantization.quantizeWeight(0.5, 0.5f / 127, 8));
        assertEquals(-127, Quantization.quantizeWeight(-9, 0.5f / 127, 8), "saturates at -qmax, not -128");
        assertEquals(7, Quantization.quantizeWeight(1, 1f / 7, 4));
    }
}
