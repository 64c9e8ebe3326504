package org.edgenn.train.export;

import org.edgenn.train.quant.QuantMath;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

class Int8ExportTest {
    @Test
    void buildsImmutableModelWithWeightsBiasActivationsAndFloats() {
        QuantMath.ActParams in = QuantMath.activationParams(0, 1);
        Int8Model m = Int8Export.builder("net")
                .weightsPerChannel("fc_w", Nd4j.create(new float[][] {{0.5f, -1f}, {0.25f, 0f}}))
                .bias("fc_b", Nd4j.create(new float[] {0.1f, -0.2f}), in, "fc_w")
                .floatTensor("theta", Nd4j.create(new float[] {0.01f}))
                .activation("x", in).metadata("k", "v").build();
        assertEquals(java.util.List.of("fc_w", "fc_b", "theta"), m.tensorNames());
        Int8Tensor w = m.tensor("fc_w");
        assertArrayEquals(new byte[] {127, -127, 64, 0}, w.int8Data());
        w.int8Data()[0] = 0;
        assertEquals(127, m.tensor("fc_w").int8Data()[0], "accessors return copies");
        Int8Tensor b = m.tensor("fc_b");
        assertEquals(Math.round(0.1 / (in.scale() * (0.5f / 127))), b.int32Data()[0]);
        assertEquals(4, m.int8Count());
        assertEquals(0.25, w.zeroFraction(), 0);
        assertEquals(in, m.activation("x"));
        assertThrows(UnsupportedOperationException.class, () -> m.tensors().add(b));
        assertThrows(IllegalArgumentException.class, () -> Int8Export.builder("x")
                .weightsPerTensor("a", Nd4j.ones(2)).weightsPerTensor("a", Nd4j.ones(2)));
        assertThrows(IllegalArgumentException.class, () -> Int8Export.builder("x")
                .bias("b", Nd4j.ones(2), in, "missing"));
    }
}
