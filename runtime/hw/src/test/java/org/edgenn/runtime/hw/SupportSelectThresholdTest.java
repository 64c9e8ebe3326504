package org.edgenn.runtime.hw;

import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.kernels.SupportSelectThreshold;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The support-selection kernel (int8: counting sort; int16: sorted keys) against the hardware model (comparator ranks),
 * bit for bit; 16-bit data only on an accelerator with 16-bit operands.
 */
class SupportSelectThresholdTest {
    private static final FunctionalModel HW = new FunctionalModel(AcceleratorArithmetic.int32("hw"));
    private static final FunctionalModel HW16 = new FunctionalModel(new AcceleratorArithmetic("hw16", 16, 32,
            org.edgenn.runtime.quant.RequantMode.DOUBLE_ROUNDING));

    private static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], what + ": byte " + i + " kernel " + actual[i] + " model " + expected[i]);
    }

    @Test
    void kernelEqualsHardwareModelOnTiesEdgesAndRandomVectors() {
        Random r = new Random(21);
        for (int t = 0; t < 400; t++) {
            int c = 1 + r.nextInt(t % 3 == 0 ? 8 : 64);
            int pixels = 1 + r.nextInt(5);
            int zp = t % 4 == 0 ? -128 : t % 4 == 1 ? 127 : r.nextInt(256) - 128;
            byte[] th = new byte[c];
            for (int i = 0; i < c; i++) th[i] = (byte) (t % 5 == 0 ? 0 : r.nextInt(t % 2 == 0 ? 128 : 6));
            byte[] in = new byte[c * pixels];
            // few distinct values: magnitude ties everywhere, including ±equal magnitudes around the zero point
            for (int i = 0; i < in.length; i++) in[i] = (byte) (t % 3 == 1 ? r.nextInt(256) - 128 : Math.max(-128, Math.min(127, zp + r.nextInt(9) - 4)));
            int count = r.nextInt(c + 1);
            SupportSelectThreshold op = SupportSelectThreshold.prepare(th, count, zp);
            byte[] kernel = new byte[in.length], model = new byte[in.length];
            op.run(in, kernel);
            HW.run(op, in, model);
            assertSameBytes(model, kernel, "trial " + t + " c=" + c + " count=" + count + " zp=" + zp);
        }
    }

    @Test
    void sixteenBitKernelEqualsHardwareModelOnTiesEdgesAndRandomVectors() {
        Random r = new Random(22);
        for (int t = 0; t < 300; t++) {
            int c = 1 + r.nextInt(t % 3 == 0 ? 8 : 96);
            int pixels = 1 + r.nextInt(4);
            int zp = t % 4 == 0 ? -32768 : t % 4 == 1 ? 32767 : r.nextInt(65536) - 32768;
            float scale = 0.001f;
            float[] theta = new float[t % 2 == 0 ? 1 : c];
            for (int i = 0; i < theta.length; i++) theta[i] = t % 5 == 0 ? 0 : scale * r.nextInt(t % 3 == 2 ? 40000 : 12);
            org.edgenn.runtime.quant.QuantParams q = new org.edgenn.runtime.quant.QuantParams(scale, zp, 16);
            short[] values = new short[c * pixels];
            for (int i = 0; i < values.length; i++) {
                int v = t % 3 == 1 ? r.nextInt(65536) - 32768 : zp + r.nextInt(9) - 4;   // few distinct values: ties everywhere
                values[i] = (short) Math.max(-32768, Math.min(32767, v));
            }
            byte[] in = new byte[2 * values.length];
            for (int i = 0; i < values.length; i++) org.edgenn.runtime.tensor.ActivationBytes.setShort(in, i, values[i]);
            int count = r.nextInt(c + 1);
            SupportSelectThreshold op = SupportSelectThreshold.prepare(theta, q, count, c);
            assertEquals(16, op.bits());
            byte[] kernel = new byte[in.length], model = new byte[in.length];
            op.run(in, kernel);
            HW16.run(op, in, model);
            assertSameBytes(model, kernel, "trial " + t + " c=" + c + " count=" + count + " zp=" + zp);
        }
        // an 8-bit accelerator refuses 16-bit data
        SupportSelectThreshold wide = SupportSelectThreshold.prepare(new float[] {0.01f},
                new org.edgenn.runtime.quant.QuantParams(0.001f, 0, 16), 1, 4);
        assertThrows(IllegalArgumentException.class, () -> HW.run(wide, new byte[8], new byte[8]));
    }

    @Test
    void sixteenBitThresholdsAreRoundedInTheDataUnitsAndBypassKeepsTheValue() {
        org.edgenn.runtime.quant.QuantParams q = new org.edgenn.runtime.quant.QuantParams(0.5f, 10, 16);
        SupportSelectThreshold op = SupportSelectThreshold.prepare(new float[] {1.26f}, q, 1, 4);   // θ = round(2.52) = 3 units
        assertEquals(3, op.threshold(0));
        byte[] in = new byte[8], out = new byte[8];
        int[] v = {10 + 1000, 10 - 2, 10 - 1000, 10 + 5};   // |d| = 1000, 2, 1000 (tie: the later index), 5
        for (int i = 0; i < 4; i++) org.edgenn.runtime.tensor.ActivationBytes.setShort(in, i, v[i]);
        op.run(in, out);
        int[] expected = {10 + 1000, 10, 10 - 997, 10 + 2};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], org.edgenn.runtime.tensor.ActivationBytes.getShort(out, i), "entry " + i);
    }

    @Test
    void countZeroIsTheSoftThresholdAndCountAllTheHardThreshold() {
        Random r = new Random(5);
        byte[] th = new byte[16];
        for (int i = 0; i < th.length; i++) th[i] = (byte) r.nextInt(20);
        byte[] in = new byte[64];
        for (int i = 0; i < in.length; i++) in[i] = (byte) (r.nextInt(256) - 128);
        byte[] soft = new byte[64], ss0 = new byte[64], hard = new byte[64];
        SoftThreshold.prepare(th, 3, Backend.SCALAR).run(in, soft);
        SupportSelectThreshold.prepare(th, 0, 3).run(in, ss0);
        assertArrayEquals(soft, ss0);
        SupportSelectThreshold.prepare(th, 16, 3).run(in, hard);
        for (int i = 0; i < in.length; i++)
            assertEquals(Math.abs(in[i] - 3) > th[i % 16] ? in[i] : 3, hard[i], "hard threshold at " + i);
    }

    @Test
    void tiesGoToTheLowerIndex() {
        // magnitudes 5, 5, 5, 2 around zp 0: two of them bypass, the first two fives
        byte[] out = new byte[4];
        SupportSelectThreshold.prepare(new byte[] {1, 1, 1, 1}, 2, 0).run(new byte[] {5, -5, 5, 2}, out);
        assertArrayEquals(new byte[] {5, -5, 4, 1}, out);
        assertThrows(IllegalArgumentException.class, () -> SupportSelectThreshold.prepare(new byte[] {1, 1}, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> SupportSelectThreshold.prepare(new byte[] {-1}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SupportSelectThreshold.prepare(new byte[] {1, 1}, 1, 0).run(new byte[3], new byte[3]));
    }
}
