package org.edgenn.train.quant;

import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

class QuantMathTest {
    @Test
    void roundsHalfAwayFromZero() {
        assertEquals(3, QuantMath.round(2.5));
        assertEquals(-3, QuantMath.round(-2.5));
        assertEquals(2, QuantMath.round(2.4999));
        assertEquals(0, QuantMath.round(-0.4));
    }

    @Test
    void activationParamsAlwaysRepresentZeroExactly() {
        for (double[] r : new double[][] {{-1, 3}, {0.5, 2}, {-4, -1}, {-0.37, 0.91}}) {
            QuantMath.ActParams p = QuantMath.activationParams(r[0], r[1]);
            assertEquals(0f, p.dequantize(p.quantize(0.0)), 0f);
            assertTrue(p.zeroPoint() >= -128 && p.zeroPoint() <= 127);
            double lo = Math.min(r[0], 0), hi = Math.max(r[1], 0);
            assertEquals((hi - lo) / 255, p.scale(), 1e-7);
        }
        QuantMath.ActParams relu = QuantMath.activationParams(0, 6);
        assertEquals(-128, relu.zeroPoint(), "non-negative range uses the full int8 range");
        assertEquals(127, relu.quantize(6.0));
        assertEquals(127, relu.quantize(100.0));
    }

    @Test
    void biasIsInt32AtInputTimesWeightScale() {
        float sIn = 0.02f;
        float[] sW = {0.01f, 0.005f};
        Int8Tensor b = Int8Export.quantizeBias("b", Nd4j.create(new float[] {0.123f, -0.0411f}), sIn, sW);
        assertEquals(Int8Tensor.Type.INT32, b.type());
        assertArrayEquals(new int[] {(int) Math.round(0.123 / (0.02 * 0.01)), -(int) Math.round(0.0411 / (0.02 * 0.005))}, b.int32Data());
        assertEquals(sIn * sW[1], b.scales()[1], 1e-12);
    }
}
