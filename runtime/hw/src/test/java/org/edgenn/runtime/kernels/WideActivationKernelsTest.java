package org.edgenn.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.tensor.ActivationBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 16-bit activations: every kernel family (scalar reference, Vector API) and the hardware functional model (16-bit
 * operands, 64-bit accumulator) agree bit for bit, for int16 × int8/int4/int2 weights and 8/16-bit inputs and
 * outputs; the accumulators equal a sum the test computes itself; the accumulator bound and the overflow edge of
 * int32; the add and the soft threshold against their real-number definitions.
 */
class WideActivationKernelsTest {
    private static final AcceleratorArithmetic HW16 = new AcceleratorArithmetic("hw16x64", 16, 64, RequantMode.DOUBLE_ROUNDING);

    static List<Backend> backends() {
        return Arrays.stream(Backend.values()).filter(KernelBackend::isAvailable).toList();
    }

    /** Random values of a width (a fifth of them at the width's extremes), two bytes each when 16-bit. */
    static byte[] values(Random r, int n, int bits) {
        byte[] b = new byte[n * ActivationBytes.bytesPerValue(bits)];
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(5) == 0 ? (r.nextBoolean() ? QuantParams.min(bits) : QuantParams.max(bits))
                    : QuantParams.min(bits) + r.nextInt(1 << bits);
            ActivationBytes.set(b, i, bits, v);
        }
        return b;
    }

    /** Symmetric weights of {@code wBits} bits held one per byte, as the artifact unpacks them. */
    static byte[] weights(Random r, int n, int wBits, boolean extremes) {
        int max = (1 << (wBits - 1)) - 1;
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) w[i] = (byte) (extremes ? (r.nextBoolean() ? max : -max) : r.nextInt(2 * max + 1) - max);
        return w;
    }

    record Case(String name, Conv2dSpec spec, int inBits, int outBits, int wBits, RequantMode mode, long seed) {
        @Override
        public String toString() {
            return name + " int" + inBits + "->int" + outBits + " w" + wBits + " " + mode;
        }
    }

    static Stream<Arguments> macCases() {
        List<Arguments> a = new ArrayList<>();
        int[][] widths = {{16, 16}, {16, 8}, {8, 16}};
        int[] wBits = {8, 4, 2};
        RequantMode[] modes = RequantMode.values();
        int i = 0;
        for (int[] io : widths)
            for (int wb : wBits) {
                RequantMode m = modes[i % modes.length];
                a.add(Arguments.of(new Case("dense 200->200", Conv2dSpec.of(1, 1, 1, 200, 200, 1, 1), io[0], io[1], wb, m, i)));
                a.add(Arguments.of(new Case("batch-3 dense 37->11", Conv2dSpec.of(1, 1, 3, 37, 11, 1, 1), io[0], io[1], wb, m, 100 + i)));
                a.add(Arguments.of(new Case("3x3 conv pad 1 stride 2", Conv2dSpec.of(1, 7, 9, 19, 6, 3, 3).withPadding(1).withStride(2, 2), io[0], io[1], wb, m, 200 + i)));
                a.add(Arguments.of(new Case("depthwise 3x3", Conv2dSpec.of(2, 5, 5, 8, 8, 3, 3).withGroups(8).withDilation(2, 1), io[0], io[1], wb, m, 300 + i)));
                i++;
            }
        return a.stream();
    }

    /** The accumulators as the test computes them: plain loops over the flat layout, 64-bit. */
    static long[] expectedAccumulators(Conv2dSpec s, byte[] in, int inBits, int zx, byte[] w, int[] bias) {
        long[] acc = new long[s.outputSize()];
        int cg = s.inC(), kg = s.outKPerGroup();
        for (int n = 0; n < s.n(); n++)
            for (int oy = 0; oy < s.outH(); oy++)
                for (int ox = 0; ox < s.outW(); ox++)
                    for (int k = 0; k < s.k(); k++) {
                        long sum = bias[k];
                        for (int fy = 0; fy < s.fy(); fy++)
                            for (int fx = 0; fx < s.fx(); fx++) {
                                int iy = oy * s.strideY() - s.padTop() + fy * s.dilationY(), ix = ox * s.strideX() - s.padLeft() + fx * s.dilationX();
                                if (iy < 0 || ix < 0 || iy >= s.h() || ix >= s.w()) continue;
                                for (int c = 0; c < cg; c++) {
                                    int x = ActivationBytes.get(in, ((n * s.h() + iy) * s.w() + ix) * s.c() + (k / kg) * cg + c, inBits);
                                    sum += (long) (x - zx) * w[((k * s.fy() + fy) * s.fx() + fx) * cg + c];
                                }
                            }
                        acc[((n * s.outH() + oy) * s.outW() + ox) * s.k() + k] = sum;
                    }
        return acc;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("macCases")
    void macLayersAgreeWithTheHardwareModelOnEveryBackend(Case c) {
        Random r = new Random(c.seed);
        Conv2dSpec s = c.spec;
        byte[] in = values(r, s.inputSize(), c.inBits);
        byte[] w = weights(r, s.weightSize(), c.wBits, r.nextInt(3) == 0);
        int[] bias = new int[s.k()];
        for (int k = 0; k < bias.length; k++) bias[k] = r.nextInt(1 << 24) - (1 << 23);
        float sin = 0.001f + r.nextFloat() * 0.01f;
        float[] ws = new float[s.k()];
        for (int k = 0; k < ws.length; k++) ws[k] = (0.005f + r.nextFloat() * 0.05f) * 127f / ((1 << (c.wBits - 1)) - 1);
        QuantParams qin = new QuantParams(sin, QuantParams.min(c.inBits) + r.nextInt(1 << c.inBits), c.inBits);
        long[] expected = expectedAccumulators(s, in, c.inBits, qin.zeroPoint(), w, bias);
        // an output scale that spreads the results over the output width, saturating a few of them
        double largest = 0;
        for (int i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i] * (double) sin * ws[i % s.k()]));
        float sout = (float) (largest / (1 << (c.outBits - 1)) * (0.6 + 0.6 * r.nextFloat()));
        QuantParams qout = new QuantParams(sout, QuantParams.min(c.outBits) / 8 + r.nextInt(1 << (c.outBits - 2)), c.outBits);
        LayerQuant q = LayerQuant.of(qin, ChannelScales.perChannel(ws), qout, c.mode);

        Conv2d ref = Conv2d.prepare(s, w, bias, q, Backend.SCALAR);
        long[] acc = new long[s.outputSize()];
        ref.accumulateLong(in, acc);
        assertArrayEquals(expected, acc, "scalar accumulators");
        long maxAbs = Arrays.stream(expected).map(Math::abs).max().orElse(0);
        assertTrue(maxAbs <= ref.accumulatorBound(), "bound " + ref.accumulatorBound() + " below a real sum " + maxAbs);

        int outBytes = s.outputSize() * ActivationBytes.bytesPerValue(c.outBits);
        byte[] outRef = new byte[outBytes];
        ref.run(in, outRef);
        byte[] outHw = new byte[outBytes];
        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw", 16, 64, c.mode));
        hw.run(ref, in, outHw);
        assertEquals(0, hw.lastSaturations());
        assertArrayEquals(outHw, outRef, "scalar vs hardware model");
        int distinct = (int) java.util.stream.IntStream.range(0, s.outputSize()).map(i -> ActivationBytes.get(outRef, i, c.outBits)).distinct().count();
        assertTrue(distinct >= Math.min(10, s.outputSize() / 4), "test outputs too degenerate: " + distinct + " distinct values");

        for (Backend b : backends()) {
            Conv2d layer = Conv2d.prepare(s, w, bias, q, b);
            long[] accB = new long[s.outputSize()];
            layer.accumulateLong(in, accB);
            assertArrayEquals(expected, accB, b + " accumulators");
            byte[] out = new byte[outBytes];
            layer.run(in, out);
            assertArrayEquals(outHw, out, b + " output vs hardware model");
        }
    }

    /** A dense layer whose sums reach {@code value · 127 · 65535} per output: int16 inputs at their extremes. */
    private static Conv2d extremeDense(int channels, int bias, Backend backend, int outBits) {
        byte[] w = new byte[2 * channels];
        Arrays.fill(w, 0, channels, (byte) 127);
        Arrays.fill(w, channels, 2 * channels, (byte) -127);
        QuantParams qin = new QuantParams(1e-4f, -32768, 16);
        QuantParams qout = new QuantParams(30f, 0, outBits);
        return Dense.prepare(1, channels, 2, w, new int[] {bias, -bias}, LayerQuant.of(qin, ChannelScales.perTensor(1e-3f, 2), qout, RequantMode.DOUBLE_ROUNDING), backend).asConv2d();
    }

    private static byte[] maxInput(int channels) {
        byte[] in = new byte[2 * channels];
        for (int i = 0; i < channels; i++) ActivationBytes.setShort(in, i, 32767); // x − zx = 65,535
        return in;
    }

    @Test
    void theInt32EdgeIsWhereTheBoundSaysAndLongAccumulatorsStayExact() {
        // 256 · 127 · 65,535 = 2,130,673,920; with this bias the bound is exactly 2^31 − 1
        int edgeBias = Integer.MAX_VALUE - 256 * 127 * 65535;
        for (Backend b : backends()) {
            Conv2d fits = extremeDense(256, edgeBias, b, 16);
            assertEquals(Integer.MAX_VALUE, fits.accumulatorBound());
            assertEquals(32, fits.accumulatorBits());
            int[] acc32 = new int[2];
            fits.accumulate(maxInput(256), acc32);
            assertArrayEquals(new int[] {Integer.MAX_VALUE, -Integer.MAX_VALUE}, acc32, b + ": at the edge int32 holds the sums");

            Conv2d over = extremeDense(256, edgeBias + 1, b, 16);
            assertEquals(33, over.accumulatorBits());
            assertThrows(IllegalArgumentException.class, () -> over.accumulate(maxInput(256), new int[2]), "int32 accumulators refused past the bound");
            long[] acc = new long[2];
            over.accumulateLong(maxInput(256), acc);
            assertArrayEquals(new long[] {1L << 31, -(1L << 31)}, acc, b + ": one past the edge");

            // 300 channels: 2,496,883,500 > 2^31; 5,000 channels: several int32 blocks in the vector kernel (258 steps each)
            for (int channels : new int[] {300, 5000}) {
                Conv2d big = extremeDense(channels, 12345, b, 16);
                long[] sums = new long[2];
                big.accumulateLong(maxInput(channels), sums);
                long exact = 12345L + (long) channels * 127 * 65535;
                assertArrayEquals(new long[] {exact, -exact}, sums, b + " " + channels + " channels");
                byte[] out = new byte[4];
                big.run(maxInput(channels), out);
                // real value exact · 1e-4 · 1e-3 / 30, far beyond int16 for 5,000 channels: saturates at the rails
                long expect = Math.min(32767, Math.round(exact * 1e-7 / 30));
                assertEquals(expect, ActivationBytes.getShort(out, 0), 1, b + " requantized");
                assertEquals(-expect, ActivationBytes.getShort(out, 1), 1, b + " requantized");
            }
        }
        // the hardware model at the accelerator's width: a 32-bit accumulator saturates past the edge, a 40-bit one does not
        Conv2d over = extremeDense(300, 0, Backend.SCALAR, 16);
        byte[] kernel = new byte[4];
        over.run(maxInput(300), kernel);
        FunctionalModel acc32 = new FunctionalModel(new AcceleratorArithmetic("acc32", 16, 32, RequantMode.DOUBLE_ROUNDING));
        byte[] saturated = new byte[4];
        acc32.run(over, maxInput(300), saturated);
        assertTrue(acc32.lastSaturations() > 0);
        assertNotEquals(ActivationBytes.getShort(kernel, 0), ActivationBytes.getShort(saturated, 0));
        FunctionalModel acc40 = new FunctionalModel(new AcceleratorArithmetic("acc40", 16, 40, RequantMode.DOUBLE_ROUNDING));
        byte[] exact = new byte[4];
        acc40.run(over, maxInput(300), exact);
        assertEquals(0, acc40.lastSaturations());
        assertArrayEquals(kernel, exact);
    }

    @Test
    void anAcceleratorWithEightBitOperandsRefusesSixteenBitActivations() {
        Conv2d layer = extremeDense(8, 0, Backend.SCALAR, 8);
        FunctionalModel int8 = new FunctionalModel(AcceleratorArithmetic.int32("Tiny16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> int8.run(layer, maxInput(8), new byte[2]));
        assertTrue(e.getMessage().contains("8-bit activation operands") && e.getMessage().contains("int16"), e.getMessage());
    }

    @Test
    void addsOfEveryWidthCombinationAgreeAndStayWithinOneUnitOfTheRealSum() {
        Random r = new Random(41);
        int n = 301;
        for (int ab : new int[] {8, 16})
            for (int bb : new int[] {8, 16})
                for (int ob : new int[] {8, 16}) {
                    if (ab == 8 && bb == 8 && ob == 8) continue;
                    for (RequantMode mode : new RequantMode[] {RequantMode.DOUBLE_ROUNDING, RequantMode.SINGLE_ROUNDING})
                        for (boolean subtract : new boolean[] {false, true}) {
                            QuantParams qa = new QuantParams(0.5f / (1 << ab) * (1 + r.nextFloat()), QuantParams.min(ab) + r.nextInt(1 << ab), ab);
                            QuantParams qb = new QuantParams(0.5f / (1 << bb) * (1 + r.nextFloat()), QuantParams.min(bb) + r.nextInt(1 << bb), bb);
                            QuantParams qo = new QuantParams(2f / (1 << ob) * (1 + r.nextFloat()), QuantParams.min(ob) / 4 + r.nextInt(1 << (ob - 1)), ob);
                            byte[] a = values(r, n, ab), b = values(r, n, bb);
                            String what = "int" + ab + (subtract ? " - int" : " + int") + bb + " -> int" + ob + " " + mode;
                            Add ref = subtract ? Add.prepareSub(qa, qb, qo, mode, QuantParams.min(ob), QuantParams.max(ob), Backend.SCALAR)
                                    : Add.prepare(qa, qb, qo, mode, QuantParams.min(ob), QuantParams.max(ob), Backend.SCALAR);
                            assertEquals(ab > 8 || bb > 8 ? Add.WIDE_LEFT_SHIFT : Add.LEFT_SHIFT, ref.leftShift());
                            byte[] model = new byte[n * ActivationBytes.bytesPerValue(ob)];
                            FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw", 16, 32, mode));
                            hw.run(ref, a, b, model);
                            assertEquals(0, hw.lastSaturations(), what);
                            for (int i = 0; i < n; i++) {
                                double real = qa.scale() * (ActivationBytes.get(a, i, ab) - qa.zeroPoint())
                                        + (subtract ? -1 : 1) * qb.scale() * (ActivationBytes.get(b, i, bb) - qb.zeroPoint());
                                long ideal = Math.max(QuantParams.min(ob), Math.min(QuantParams.max(ob), Math.round(real / qo.scale()) + qo.zeroPoint()));
                                assertEquals(ideal, ActivationBytes.get(model, i, ob), 1, what + " [" + i + "]");
                            }
                            for (Backend be : backends()) {
                                Add op = subtract ? Add.prepareSub(qa, qb, qo, mode, QuantParams.min(ob), QuantParams.max(ob), be)
                                        : Add.prepare(qa, qb, qo, mode, QuantParams.min(ob), QuantParams.max(ob), be);
                                byte[] out = new byte[model.length];
                                op.run(a, b, out);
                                assertArrayEquals(model, out, be + " " + what);
                            }
                        }
                }
    }

    @Test
    void sixteenBitSoftThresholdEqualsItsDefinitionOnEveryBackend() {
        Random r = new Random(43);
        for (int channels : new int[] {1, 7, 200, 64}) {
            int pixels = 3;
            float[] theta = new float[channels == 1 ? 1 : channels];
            for (int i = 0; i < theta.length; i++) theta[i] = r.nextFloat() * 0.5f;
            QuantParams q = new QuantParams(1e-4f, r.nextInt(2001) - 1000, 16);
            byte[] in = values(r, pixels * channels, 16);
            byte[] model = new byte[in.length];
            SoftThreshold ref = SoftThreshold.prepare(theta, q, Backend.SCALAR);
            new FunctionalModel(HW16).run(ref, in, model);
            for (int i = 0; i < pixels * channels; i++) {
                int th = (int) Math.min(32767, Math.round(theta[i % channels] / q.scale()));
                int d = ActivationBytes.getShort(in, i) - q.zeroPoint();
                int expect = q.zeroPoint() + (int) Math.signum(d) * Math.max(Math.abs(d) - th, 0);
                assertEquals(expect, ActivationBytes.getShort(model, i), "channel count " + channels + " [" + i + "]");
            }
            for (Backend b : backends()) {
                byte[] out = new byte[in.length];
                SoftThreshold.prepare(theta, q, b).run(in, out);
                assertArrayEquals(model, out, b + " " + channels + " channels");
            }
        }
    }
}
