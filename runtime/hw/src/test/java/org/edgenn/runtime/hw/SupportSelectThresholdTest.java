package org.edgenn.runtime.hw;

import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.kernels.SupportSelectThreshold;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The int8 support-selection kernel (counting sort) against the hardware model (comparator ranks), bit for bit. */
class SupportSelectThresholdTest {
    private static final FunctionalModel HW = new FunctionalModel(AcceleratorArithmetic.int32("hw"));

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
