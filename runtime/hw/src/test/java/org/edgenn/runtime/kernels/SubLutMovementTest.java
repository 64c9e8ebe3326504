package org.edgenn.runtime.kernels;

import static org.edgenn.runtime.testutil.Mismatch.assertSame;
import static org.edgenn.runtime.testutil.Mismatch.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;

/** Subtraction, lookup tables and data movement: every backend and the hardware model against hand formulas. */
class SubLutMovementTest {
    private static final FunctionalModel MODEL = new FunctionalModel(AcceleratorArithmetic.int32("test"));

    @Test
    void subtractionMatchesTheRealDifferenceAndAllVariantsAgree() {
        Random r = new Random(11);
        for (RequantMode mode : List.of(RequantMode.DOUBLE_ROUNDING, RequantMode.SINGLE_ROUNDING)) {
            for (int t = 0; t < 20; t++) {
                QuantParams qa = new QuantParams(0.001f + r.nextFloat() * 0.1f, r.nextInt(256) - 128);
                QuantParams qb = new QuantParams(0.001f + r.nextFloat() * 0.1f, r.nextInt(256) - 128);
                QuantParams qo = new QuantParams((qa.scale() + qb.scale()) * (0.5f + r.nextFloat()), r.nextInt(100) - 50);
                int n = 1 + r.nextInt(100);
                byte[] a = randomBytes(r, n), b = randomBytes(r, n);
                byte[] model = new byte[n];
                MODEL.run(Add.prepareSub(qa, qb, qo, mode, -128, 127, Backend.SCALAR), a, b, model);
                for (Backend be : KernelVariantsTest.backends()) {
                    byte[] out = new byte[n];
                    Add.prepareSub(qa, qb, qo, mode, -128, 127, be).run(a, b, out);
                    assertSame("sub " + be + " vs model", model, out);
                }
                for (int i = 0; i < n; i++) {
                    double real = qa.dequantize(a[i]) - (double) qb.dequantize(b[i]);
                    int ideal = qo.quantize(real);
                    assertTrue(Math.abs(ideal - model[i]) <= 1, "sub within 1 LSB at " + i + ": " + ideal + " vs " + model[i]);
                }
            }
        }
    }

    @Test
    void lookupTableIsTheQuantizedFunctionAndTheModelAgrees() {
        QuantParams in = new QuantParams(0.05f, 3), out = new QuantParams(1 / 128f, 0);
        Lut tanh = Lut.of(in, out, Math::tanh);
        byte[] x = new byte[256];
        for (int i = 0; i < 256; i++) x[i] = (byte) (i - 128);
        byte[] y = new byte[256], model = new byte[256];
        tanh.run(x, y);
        MODEL.table(tanh.table(), x, model);
        assertSame("lut vs model", model, y);
        for (int q = -128; q <= 127; q++) {
            double real = Math.tanh(0.05f * (q - 3));
            long expected = Math.max(-128, Math.min(127, Math.round(Math.abs(real) * 128) * (long) Math.signum(real)));
            assertEquals(expected, y[q + 128], "tanh at " + q);
        }
    }

    @Test
    void reshapeOfAnImageIsItsChannelFirstOrder() {
        int c = 3, h = 2, w = 4, batch = 2;
        byte[] nhwc = new byte[batch * c * h * w];
        for (int i = 0; i < nhwc.length; i++) nhwc[i] = (byte) i;
        for (Backend be : KernelVariantsTest.backends()) {
            byte[] flat = new byte[nhwc.length];
            Movement.reshape(batch, new int[] {c, h, w}, new int[] {c * h * w}, be).run(new byte[][] {nhwc}, flat);
            for (int n = 0; n < batch; n++)
                for (int ch = 0; ch < c; ch++)
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++) {
                            assertEquals(nhwc[((n * h + y) * w + x) * c + ch], flat[n * c * h * w + (ch * h + y) * w + x]);
                        }
            byte[] back = new byte[nhwc.length];
            Movement.reshape(batch, new int[] {c * h * w}, new int[] {c, h, w}, be).run(new byte[][] {flat}, back);
            assertSame("reshape round trip " + be, nhwc, back);
        }
    }

    @Test
    void concatOfVectorsAndImagesAlongTheFirstAxis() {
        byte[] a = {1, 2, 3, 4}, b = {5, 6};   // batch 2: [2] and [1] features
        for (Backend be : KernelVariantsTest.backends()) {
            byte[] out = new byte[6];
            Movement.concat(2, List.of(new int[] {2}, new int[] {1}), be).run(new byte[][] {a, b}, out);
            assertSame("concat " + be, new byte[] {1, 2, 5, 3, 4, 6}, out);
        }
    }

    @Test
    void bilinearX2IsNearestThenEdgePadThenTheFixedFilter() {
        int c = 2, h = 3, w = 4;
        QuantParams q = new QuantParams(0.1f, 3);
        Random r = new Random(8);
        byte[] x = randomBytes(r, c * h * w);
        for (Backend be : KernelVariantsTest.backends()) {
            byte[] near = new byte[c * 4 * h * w], padded = new byte[c * (2 * h + 2) * (2 * w + 2)], out = new byte[c * 4 * h * w];
            Movement.upsampleNearest(1, c, h, w, 2, be).run(new byte[][] {x}, near);
            Movement.padEdge(1, c, 2 * h, 2 * w, 1, be).run(new byte[][] {near}, padded);
            FixedFilters.Filter f = FixedFilters.bilinearX2(c);
            Conv2d.prepare(new Conv2dSpec(1, 2 * h + 2, 2 * w + 2, c, c, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, c), f.values(), null,
                    LayerQuant.of(q, f.scales(), q, RequantMode.DOUBLE_ROUNDING), be).run(padded, out);
            // half-pixel bilinear (align_corners=False, clamped at the edges), in the real domain
            for (int oy = 0; oy < 2 * h; oy++)
                for (int ox = 0; ox < 2 * w; ox++)
                    for (int ch = 0; ch < c; ch++) {
                        double sy = Math.max(0, (oy + 0.5) / 2 - 0.5), sx = Math.max(0, (ox + 0.5) / 2 - 0.5);
                        int y0 = (int) sy, x0 = (int) sx, y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
                        double fy = sy - y0, fx = sx - x0;
                        double v = (1 - fy) * ((1 - fx) * q.dequantize(x[(y0 * w + x0) * c + ch]) + fx * q.dequantize(x[(y0 * w + x1) * c + ch]))
                                + fy * ((1 - fx) * q.dequantize(x[(y1 * w + x0) * c + ch]) + fx * q.dequantize(x[(y1 * w + x1) * c + ch]));
                        double got = q.dequantize(out[(oy * 2 * w + ox) * c + ch]);
                        assertTrue(Math.abs(got - v) <= 0.5 * q.scale() + 1e-6, be + " at " + oy + "," + ox + "," + ch + ": " + got + " vs " + v);
                    }
        }
    }
}
