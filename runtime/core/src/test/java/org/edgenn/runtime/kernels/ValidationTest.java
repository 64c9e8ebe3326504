package org.edgenn.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;

/** Bad shapes and buffer sizes fail with a clear IllegalArgumentException, never silently. */
class ValidationTest {
    private final LayerQuant q = LayerQuant.of(new QuantParams(0.1f, 0), ChannelScales.perTensor(0.1f, 4), new QuantParams(0.1f, 0), RequantMode.DOUBLE_ROUNDING);

    @Test
    void convRejectsWrongSizes() {
        Conv2dSpec s = Conv2dSpec.of(1, 4, 4, 3, 4, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv2d.prepare(s, new byte[10], null, q));
        assertTrue(e.getMessage().contains("needs 108"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.prepare(s, new byte[108], new int[3], q));
        Conv2d c = Conv2d.prepare(s, new byte[108], null, q);
        assertThrows(IllegalArgumentException.class, () -> c.run(new byte[47], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> c.run(new byte[48], new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> c.accumulate(new byte[48], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.prepare(Conv2dSpec.of(1, 4, 4, 3, 5, 3, 3), new byte[135], null, q));
    }

    @Test
    void specRejectsImpossibleGeometry() {
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 2, 2, 3, 4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 4, 4, 3, 4, 3, 3).withGroups(2));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 4, 4, 3, 4, 3, 3).withStride(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(0, 4, 4, 3, 4, 3, 3));
    }

    @Test
    void elementwiseOpsRejectWrongSizes() {
        Add add = Add.prepare(new QuantParams(0.1f, 0), new QuantParams(0.2f, 0), new QuantParams(0.3f, 0), RequantMode.DOUBLE_ROUNDING);
        assertThrows(IllegalArgumentException.class, () -> add.run(new byte[4], new byte[5], new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> add.run(new byte[4], 2, new byte[4], 0, new byte[4], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Add.prepare(new QuantParams(0.1f, 0), new QuantParams(0.2f, 0), new QuantParams(0.3f, 0), RequantMode.FLOAT_SCALE));
        assertThrows(IllegalArgumentException.class, () -> SoftThreshold.prepare(new byte[] {1, -1}, 0));
        assertThrows(IllegalArgumentException.class, () -> SoftThreshold.prepare(new byte[] {1, 2}, 0).run(new byte[5], new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> Pool2d.prepare(Pool2d.Kind.MAX, 1, 4, 4, 2, 2, 2, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Pool2d.prepare(Pool2d.Kind.MAX, 1, 4, 4, 2, 2, 2, 2, 2, 0).run(new byte[32], new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> Activation.clamp(new byte[4], new byte[4], 5, 4));
        assertThrows(IllegalArgumentException.class, () -> DataMovement.pixelShuffle(new byte[7], new byte[8], 1, 1, 2, 1, 2, Backend.SCALAR));
    }
}
