package org.edgenn.runtime.kernels;

import static org.edgenn.runtime.testutil.Mismatch.assertSame;
import static org.edgenn.runtime.testutil.Mismatch.randomBytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One suite for every kernel variant: the scalar reference, the Vector API kernels (when the
 * module is present) and the hardware functional model (32-bit accumulator, no overflow in
 * these cases) must agree bit for bit on fixed-seed randomized shapes and values.
 */
class KernelVariantsTest {
    static List<Backend> backends() {
        return Arrays.stream(Backend.values()).filter(KernelBackend::isAvailable).toList();
    }

    record Case(String name, Conv2dSpec spec, byte[] in, byte[] w, int[] bias, QuantParams qin, ChannelScales ws, QuantParams qout) {
        @Override
        public String toString() {
            return name + " " + spec;
        }
    }

    static Case randomCase(long seed) {
        Random r = new Random(seed);
        while (true) {
            int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 1;
            boolean dw = r.nextInt(4) == 0;
            int cg = dw ? 1 : 1 + r.nextInt(40);
            int kg = dw ? 1 + (r.nextInt(3) == 0 ? 1 : 0) : 1 + r.nextInt(70);
            if (dw) groups = 1 + r.nextInt(40);
            Conv2dSpec spec;
            try {
                spec = new Conv2dSpec(1 + r.nextInt(2), 1 + r.nextInt(12), 1 + r.nextInt(12), groups * cg, groups * kg,
                        1 + r.nextInt(5), 1 + r.nextInt(5), 1 + r.nextInt(3), 1 + r.nextInt(3),
                        r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2), groups);
            } catch (IllegalArgumentException e) {
                continue; // filter larger than the input: draw again
            }
            return build("random#" + seed, spec, r, r.nextInt(5) == 0);
        }
    }

    static Case build(String name, Conv2dSpec spec, Random r, boolean extremes) {
        byte[] in = randomBytes(r, spec.inputSize());
        byte[] w = randomBytes(r, spec.weightSize());
        if (extremes) { // the largest magnitudes: -128 everywhere products are maximal
            for (int i = 0; i < in.length; i++) in[i] = (byte) (r.nextBoolean() ? -128 : 127);
            for (int i = 0; i < w.length; i++) w[i] = (byte) (r.nextBoolean() ? -128 : 127);
        }
        int[] bias = IntStream.range(0, spec.k()).map(i -> r.nextInt(1 << 20) - (1 << 19)).toArray();
        float sin = 0.005f + r.nextFloat() * 0.1f;
        float[] ws = new float[spec.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.0005f + r.nextFloat() * 0.05f;
        int taps = spec.fy() * spec.fx() * spec.inC();
        float sout = (float) (sin * 0.02 * Math.sqrt(taps) * 60 * (0.2 + r.nextFloat()));
        return new Case(name, spec, in, w, bias, new QuantParams(sin, r.nextInt(256) - 128), ChannelScales.perChannel(ws),
                new QuantParams(sout, r.nextInt(256) - 128));
    }

    /**
     * Every weight and every input −128: interior sums y = 9·C·2^14, for C = 227 just below the 2^25 that Winograd
     * F(4x4,3x3) in wrapping int32 can recover from 64·y (VectorWinogradInt).
     */
    static Case allMin(Case c) {
        Arrays.fill(c.w, (byte) -128);
        Arrays.fill(c.in, (byte) -128);
        return c;
    }

    static Stream<Arguments> convCases() {
        List<Arguments> a = new ArrayList<>();
        RequantMode[] modes = RequantMode.values();
        for (long seed = 0; seed < 60; seed++) a.add(Arguments.of(randomCase(seed), modes[(int) (seed % 3)]));
        Random r = new Random(99);
        a.add(Arguments.of(build("3x3 same", Conv2dSpec.of(1, 9, 11, 64, 64, 3, 3).withPadding(1), r, false), RequantMode.DOUBLE_ROUNDING));
        a.add(Arguments.of(build("depthwise 3x3 s2", Conv2dSpec.of(1, 13, 10, 37, 37, 3, 3).withPadding(1).withStride(2, 2).withGroups(37), r, false), RequantMode.SINGLE_ROUNDING));
        a.add(Arguments.of(build("K>1024 chunked, extremes", Conv2dSpec.of(1, 5, 5, 300, 20, 3, 3).withPadding(1), r, true), RequantMode.DOUBLE_ROUNDING));
        a.add(Arguments.of(build("C>1024 chunked, extremes", Conv2dSpec.of(1, 2, 3, 1500, 5, 1, 2), r, true), RequantMode.FLOAT_SCALE));
        a.add(Arguments.of(build("dense 250->500", Conv2dSpec.of(1, 1, 1, 250, 500, 1, 1), r, false), RequantMode.DOUBLE_ROUNDING));
        a.add(Arguments.of(build("gemm 7x33x70", Conv2dSpec.of(1, 1, 7, 33, 70, 1, 1), r, false), RequantMode.FLOAT_SCALE));
        a.add(Arguments.of(build("depthwise multiplier 2", Conv2dSpec.of(2, 6, 6, 8, 16, 3, 3).withGroups(8).withDilation(2, 1), r, false), RequantMode.DOUBLE_ROUNDING));
        // 3x3 stride-1 layers the vector family computes as Winograd (int F(4x4,3x3), VectorWinogradInt, for these weights)
        a.add(Arguments.of(build("Winograd 56->70, odd 9x11 output, batch 2", Conv2dSpec.of(2, 9, 11, 56, 70, 3, 3).withPadding(1), r, false), RequantMode.SINGLE_ROUNDING));
        a.add(Arguments.of(build("Winograd 64->64, extremes", Conv2dSpec.of(1, 8, 10, 64, 64, 3, 3).withPadding(1), r, true), RequantMode.FLOAT_SCALE));
        a.add(Arguments.of(build("Winograd 50->33 valid, asymmetric", Conv2dSpec.of(1, 7, 9, 50, 33, 3, 3).withPadding(0, 1, 2, 0), r, false), RequantMode.DOUBLE_ROUNDING));
        a.add(Arguments.of(allMin(build("Winograd C=227 all -128, |y| just below 2^25", Conv2dSpec.of(1, 6, 7, 227, 40, 3, 3).withPadding(1), r, false)), RequantMode.DOUBLE_ROUNDING));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void convVariantsAgreeBitForBit(Case c, RequantMode mode) {
        LayerQuant q = LayerQuant.of(c.qin, c.ws, c.qout, mode);
        Conv2d ref = Conv2d.prepare(c.spec, c.w, c.bias, q, Backend.SCALAR);
        int[] accRef = new int[c.spec.outputSize()];
        byte[] outRef = new byte[c.spec.outputSize()];
        ref.accumulate(c.in, accRef);
        ref.run(c.in, outRef);

        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw32", 32, mode));
        int[] accHw = new int[accRef.length];
        byte[] outHw = new byte[outRef.length];
        hw.accumulate(ref, c.in, accHw);
        hw.run(ref, c.in, outHw);
        assertTrue(hw.lastSaturations() == 0, "test data must not overflow 32 bits");
        assertSame("hw accumulators", accRef, accHw);
        assertSame("hw output", outRef, outHw);

        for (Backend b : backends()) {
            Conv2d k = Conv2d.prepare(c.spec, c.w, c.bias, q, b);
            if (b == Backend.VECTOR && c.name.startsWith("Winograd")) {
                assertTrue(k.implementation().contains("Winograd"), c.name + " runs on " + k.implementation());
            }
            int[] acc = new int[accRef.length];
            byte[] out = new byte[outRef.length];
            k.accumulate(c.in, acc);
            k.run(c.in, out);
            assertSame(b + " accumulators", accRef, acc);
            assertSame(b + " output", outRef, out);
            k.run(c.in, out); // prepared once, run twice: same result (scratch reuse)
            assertSame(b + " second run", outRef, out);
        }

        // independent float check of the requantization: within 1 of the real-number rescaling
        int k = c.spec.k();
        for (int i = 0; i < accRef.length; i++) {
            double real = accRef[i] * (double) c.qin.scale() * c.ws.scale(i % k) / c.qout.scale() + c.qout.zeroPoint();
            double expect = Math.max(-128, Math.min(127, real));
            assertTrue(Math.abs(outRef[i] - expect) <= 1.0, "element " + i + ": " + outRef[i] + " vs real " + expect);
        }
    }

    @Test
    void accumulatorsMatchAnIndependentFloatConvolution() {
        // direct double-precision convolution with explicit zero-padding, written from the definition
        Random r = new Random(7);
        Conv2dSpec s = Conv2dSpec.of(1, 6, 7, 6, 4, 3, 2).withPadding(1, 0, 2, 1).withStride(2, 1).withDilation(1, 2).withGroups(2);
        Case c = build("float", s, r, false);
        int[] acc = new int[s.outputSize()];
        Conv2d.prepare(s, c.w, c.bias, LayerQuant.of(c.qin, c.ws, c.qout, RequantMode.DOUBLE_ROUNDING)).accumulate(c.in, acc);
        int hp = s.h() + s.padTop() + s.padBottom(), wp = s.w() + s.padLeft() + s.padRight();
        double[][][] pad = new double[hp][wp][s.c()];
        for (int y = 0; y < s.h(); y++) for (int x = 0; x < s.w(); x++) for (int ch = 0; ch < s.c(); ch++)
            pad[y + s.padTop()][x + s.padLeft()][ch] = c.in[(y * s.w() + x) * s.c() + ch] - c.qin.zeroPoint();
        for (int oy = 0; oy < s.outH(); oy++) for (int ox = 0; ox < s.outW(); ox++) for (int o = 0; o < s.k(); o++) {
            int g = o / (s.k() / s.groups());
            double sum = c.bias[o];
            for (int fy = 0; fy < 3; fy++) for (int fx = 0; fx < 2; fx++) for (int ci = 0; ci < 3; ci++)
                sum += pad[oy * 2 + fy][ox + fx * 2][g * 3 + ci] * c.w[((o * 3 + fy) * 2 + fx) * 3 + ci];
            assertTrue(sum == acc[(oy * s.outW() + ox) * s.k() + o], "at " + oy + "," + ox + "," + o);
        }
    }

    @Test
    void denseIsAOneByOneConvolution() {
        Random r = new Random(8);
        for (Backend b : backends()) {
            byte[] w = randomBytes(r, 30 * 17), x = randomBytes(r, 3 * 17);
            LayerQuant q = LayerQuant.of(new QuantParams(0.05f, 3), ChannelScales.perTensor(0.01f, 30), new QuantParams(0.2f, -4), RequantMode.DOUBLE_ROUNDING).withRelu();
            Dense d = Dense.prepare(3, 17, 30, w, null, q, b);
            byte[] out = new byte[90];
            d.run(x, out);
            for (int bi = 0; bi < 3; bi++) for (int o = 0; o < 30; o++) {
                long acc = 0;
                for (int i = 0; i < 17; i++) acc += (long) (x[bi * 17 + i] - 3) * w[o * 17 + i];
                double real = Math.max(-4, Math.min(127, acc * 0.05 * 0.01 / 0.2 - 4));
                assertTrue(Math.abs(out[bi * 30 + o] - real) <= 1.0, b + " " + bi + "," + o);
                assertTrue(out[bi * 30 + o] >= -4, "fused relu clamps at the zero point");
            }
        }
    }

    @Test
    void addVariantsAgreeAndApproximateRealSum() {
        Random r = new Random(11);
        for (int t = 0; t < 40; t++) {
            QuantParams qa = new QuantParams(0.01f + r.nextFloat(), r.nextInt(256) - 128);
            QuantParams qb = new QuantParams(0.01f + r.nextFloat(), r.nextInt(256) - 128);
            QuantParams qo = new QuantParams(0.02f + 2 * r.nextFloat(), r.nextInt(256) - 128);
            RequantMode mode = t % 2 == 0 ? RequantMode.DOUBLE_ROUNDING : RequantMode.SINGLE_ROUNDING;
            int n = 1 + r.nextInt(300);
            byte[] a = randomBytes(r, n), b = randomBytes(r, n), ref = new byte[n];
            Add refOp = Add.prepare(qa, qb, qo, mode, -128, 127, Backend.SCALAR);
            refOp.run(a, b, ref);
            byte[] hwOut = new byte[n];
            FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw32", 32, mode));
            hw.run(refOp, a, b, hwOut);
            assertTrue(hw.lastSaturations() == 0);
            assertSame("hw add " + mode, ref, hwOut);
            for (int i = 0; i < n; i++) {
                double real = (qa.scale() * (a[i] - qa.zeroPoint()) + qb.scale() * (b[i] - qb.zeroPoint())) / qo.scale() + qo.zeroPoint();
                assertTrue(Math.abs(ref[i] - Math.max(-128, Math.min(127, real))) <= 1.0, "add " + i);
            }
            for (Backend be : backends()) {
                byte[] out = new byte[n];
                Add.prepare(qa, qb, qo, mode, -128, 127, be).run(a, b, out);
                assertSame(be + " add " + mode, ref, out);
            }
        }
    }

    @Test
    void clampAndSoftThresholdVariantsAgree() {
        Random r = new Random(12);
        for (int t = 0; t < 30; t++) {
            int c = 1 + r.nextInt(70), pixels = 1 + r.nextInt(50), n = c * pixels;
            byte[] in = randomBytes(r, n);
            int lo = r.nextInt(128) - 128, hi = lo + r.nextInt(127 - lo + 1);
            byte[] th = new byte[c];
            for (int i = 0; i < c; i++) th[i] = (byte) r.nextInt(128);
            int zp = r.nextInt(256) - 128;
            byte[] refC = new byte[n], refS = new byte[n];
            Activation.clamp(in, 0, refC, 0, n, lo, hi, Backend.SCALAR);
            SoftThreshold.prepare(th, zp, Backend.SCALAR).run(in, refS);
            for (int i = 0; i < n; i++) {
                assertTrue(refC[i] == Math.max(lo, Math.min(hi, in[i])));
                double d = in[i] - zp, shrunk = Math.signum(d) * Math.max(Math.abs(d) - th[i % c], 0) + zp;
                assertTrue(refS[i] == shrunk, "soft threshold " + i);
            }
            FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("hw32"));
            byte[] hwC = new byte[n], hwS = new byte[n];
            hw.clamp(in, hwC, lo, hi);
            hw.run(SoftThreshold.prepare(th, zp, Backend.SCALAR), in, hwS);
            assertSame("hw clamp", refC, hwC);
            assertSame("hw soft threshold", refS, hwS);
            for (Backend b : backends()) {
                byte[] o1 = new byte[n], o2 = new byte[n];
                Activation.clamp(in, 0, o1, 0, n, lo, hi, b);
                SoftThreshold.prepare(th, zp, b).run(in, o2);
                assertSame(b + " clamp", refC, o1);
                assertSame(b + " soft threshold", refS, o2);
            }
        }
    }

    @Test
    void poolVariantsAgree() {
        Random r = new Random(13);
        for (int t = 0; t < 40; t++) {
            int fy = 1 + r.nextInt(3), fx = 1 + r.nextInt(3);
            int n = 1 + r.nextInt(2), h = fy + r.nextInt(8), w = fx + r.nextInt(8), c = 1 + r.nextInt(40);
            int sy = 1 + r.nextInt(2), sx = 1 + r.nextInt(2);
            int pt = r.nextInt(fy), pl = r.nextInt(fx), pb = r.nextInt(fy), pr = r.nextInt(fx);
            byte[] in = randomBytes(r, n * h * w * c);
            for (Pool2d.Kind kind : Pool2d.Kind.values()) {
                Pool2d ref = Pool2d.prepare(kind, n, h, w, c, fy, fx, sy, sx, pt, pl, pb, pr, Backend.SCALAR);
                byte[] expect = new byte[ref.outputSize()];
                ref.run(in, expect);
                if (kind == Pool2d.Kind.AVG) { // round half away from zero of the exact mean of valid taps
                    for (int i = 0; i < expect.length; i++) {
                        int ch = i % c, pix = i / c, ox = pix % ref.outW(), oy = (pix / ref.outW()) % ref.outH(), b = pix / (ref.outW() * ref.outH());
                        double sum = 0; int cnt = 0;
                        for (int y = ref.firstY(oy); y < ref.endY(oy); y++) for (int x = ref.firstX(ox); x < ref.endX(ox); x++) {
                            sum += in[((b * h + y) * w + x) * c + ch]; cnt++;
                        }
                        double mean = sum / cnt;
                        long want = (long) Math.signum(mean) * Math.round(Math.abs(mean));
                        assertTrue(expect[i] == want, "avg " + i + ": " + expect[i] + " vs " + want);
                    }
                }
                FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("hw32"));
                byte[] hwOut = new byte[expect.length];
                hw.run(ref, in, hwOut);
                assertTrue(hw.lastSaturations() == 0);
                assertSame("hw " + kind, expect, hwOut);
                for (Backend b : backends()) {
                    byte[] out = new byte[expect.length];
                    Pool2d.prepare(kind, n, h, w, c, fy, fx, sy, sx, pt, pl, pb, pr, b).run(in, out);
                    assertSame(b + " " + kind, expect, out);
                }
            }
        }
    }

    /** FashionTiny's global average pool (14×14 window, 32 channels) and odd sizes on extreme inputs, each prepared op run twice (its scratch sums restart). */
    @Test
    void globalAveragePoolOnExtremeValues() {
        Random r = new Random(31);
        int[][] shapes = {{14, 14, 32}, {7, 7, 70}, {13, 5, 3}, {1, 1, 1}};
        for (int[] sh : shapes) {
            int h = sh[0], w = sh[1], c = sh[2], size = h * w * c;
            byte[][] inputs = {new byte[size], new byte[size], new byte[size], randomBytes(r, size)};
            java.util.Arrays.fill(inputs[0], Byte.MIN_VALUE);
            java.util.Arrays.fill(inputs[1], Byte.MAX_VALUE);
            for (int i = 0; i < size; i++) inputs[2][i] = (byte) ((i / c) % 2 == 0 ? -128 : 127);   // sums at ±half counts: ties
            Pool2d ref = Pool2d.prepare(Pool2d.Kind.AVG, 1, h, w, c, h, w, 1, 1, 0, 0, 0, 0, Backend.SCALAR);
            FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("hw32"));
            for (Backend b : backends()) {
                Pool2d op = Pool2d.prepare(Pool2d.Kind.AVG, 1, h, w, c, h, w, 1, 1, 0, 0, 0, 0, b);
                for (int round = 0; round < 2; round++)
                    for (byte[] in : inputs) {
                        byte[] expect = new byte[c], hwOut = new byte[c], out = new byte[c];
                        ref.run(in, expect);
                        hw.run(ref, in, hwOut);
                        op.run(in, out);
                        for (int ch = 0; ch < c; ch++) {
                            long sum = 0;
                            for (int p = 0; p < h * w; p++) sum += in[p * c + ch];
                            double mean = (double) sum / (h * w);
                            assertTrue(expect[ch] == (long) Math.signum(mean) * Math.round(Math.abs(mean)), "reference avg " + ch);
                        }
                        assertSame("hw global avg " + h + "x" + w + "x" + c, expect, hwOut);
                        assertSame(b + " global avg " + h + "x" + w + "x" + c + " round " + round, expect, out);
                    }
            }
        }
    }

    // ---- non-MAC ops: vector kernels == scalar kernels == hardware model (32-bit accumulator) ----

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /** Log-uniform scale in [2^lo, 2^hi]. */
    private static float scale(Random r, int lo, int hi) {
        return (float) Math.scalb(1.0 + r.nextDouble(), lo + r.nextInt(hi - lo));
    }

    /** Random int8 data; one time in four only the extremes -128/127 (largest terms, most ties). */
    private static byte[] data(Random r, int n) {
        byte[] v = randomBytes(r, n);
        int style = r.nextInt(8);
        if (style == 0) for (int i = 0; i < n; i++) v[i] = (byte) (r.nextBoolean() ? -128 : 127);
        else if (style == 1) Arrays.fill(v, (byte) (r.nextBoolean() ? -128 : 127));
        return v;
    }

    private static int[] randomRange(Random r, QuantParams q) {
        return switch (r.nextInt(4)) {
            case 0 -> new int[] {-128, 127};
            case 1 -> Activation.reluBounds(q);
            case 2 -> Activation.relu6Bounds(q);
            default -> {
                int lo = r.nextInt(256) - 128;
                yield new int[] {lo, lo + r.nextInt(127 - lo + 1)};
            }
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void addKernelsAndModelAgreeBitForBit(long seed) {
        Random r = new Random(0xADD0L + seed);
        QuantParams qa = new QuantParams(scale(r, -10, 3), r.nextInt(256) - 128);
        QuantParams qb = new QuantParams(r.nextInt(4) == 0 ? qa.scale() : scale(r, -10, 3), r.nextInt(256) - 128);
        QuantParams qo = new QuantParams(scale(r, -9, 4), r.nextInt(256) - 128);
        RequantMode mode = seed % 2 == 0 ? RequantMode.DOUBLE_ROUNDING : RequantMode.SINGLE_ROUNDING;
        int[] range = randomRange(r, qo);
        int n = seed % 10 < 2 ? 65536 : 1 + r.nextInt(700);
        byte[] a = data(r, n), b = data(r, n);
        if (n == 65536) { // every pair of int8 inputs (ties of both rounding modes occur)
            for (int i = 0; i < n; i++) {
                a[i] = (byte) (i >> 8);
                b[i] = (byte) i;
            }
        }
        Add ref = Add.prepare(qa, qb, qo, mode, range[0], range[1], Backend.SCALAR);
        byte[] expect = new byte[n];
        ref.run(a, b, expect);

        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw32", 32, mode));
        byte[] hwOut = new byte[n];
        hw.run(ref, a, b, hwOut);
        assertTrue(hw.lastSaturations() == 0, "an add cannot overflow 32 bits");
        assertSame("hw add", expect, hwOut);
        for (Backend be : backends()) {
            byte[] out = new byte[n];
            Add.prepare(qa, qb, qo, mode, range[0], range[1], be).run(a, b, out);
            assertSame(be + " add", expect, out);
            if (n > 3) { // offset variant: the middle of the buffers
                byte[] part = new byte[n];
                Add.prepare(qa, qb, qo, mode, range[0], range[1], be).run(a, 1, b, 1, part, 1, n - 2);
                assertSame(be + " add (offsets)", Arrays.copyOfRange(expect, 1, n - 1), Arrays.copyOfRange(part, 1, n - 1));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void softThresholdAndClampKernelsAndModelAgreeBitForBit(long seed) {
        Random r = new Random(0x5EEDL + seed);
        int c = 1 + r.nextInt(100), pixels = 1 + r.nextInt(40), n = c * pixels;
        byte[] in = data(r, n);
        byte[] th = new byte[c];
        for (int i = 0; i < c; i++) th[i] = (byte) (r.nextInt(5) == 0 ? (r.nextBoolean() ? 0 : 127) : r.nextInt(128));
        int zp = r.nextInt(256) - 128;
        int[] range = randomRange(r, new QuantParams(scale(r, -8, 2), zp));

        byte[] refS = new byte[n], refC = new byte[n];
        SoftThreshold.prepare(th, zp, Backend.SCALAR).run(in, refS);
        Activation.clamp(in, 0, refC, 0, n, range[0], range[1], Backend.SCALAR);

        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("hw32"));
        byte[] hwS = new byte[n], hwC = new byte[n];
        hw.run(SoftThreshold.prepare(th, zp, Backend.SCALAR), in, hwS);
        assertTrue(hw.lastSaturations() == 0);
        hw.clamp(in, hwC, range[0], range[1]);
        assertSame("hw soft threshold", refS, hwS);
        assertSame("hw clamp", refC, hwC);
        for (Backend b : backends()) {
            byte[] o1 = new byte[n], o2 = new byte[n];
            SoftThreshold.prepare(th, zp, b).run(in, o1);
            Activation.clamp(in, 0, o2, 0, n, range[0], range[1], b);
            assertSame(b + " soft threshold", refS, o1);
            assertSame(b + " clamp", refC, o2);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void poolKernelsAndModelAgreeBitForBit(long seed) {
        Random r = new Random(0x9001L + seed);
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(70);
        int fy, fx, h, w, sy, sx, pt, pl, pb, pr;
        if (r.nextInt(6) == 0) { // global pooling
            h = 1 + r.nextInt(14); w = 1 + r.nextInt(14); fy = h; fx = w; sy = 1; sx = 1; pt = pl = pb = pr = 0;
        } else {
            fy = 1 + r.nextInt(7); fx = 1 + r.nextInt(7);
            h = fy + r.nextInt(10); w = fx + r.nextInt(10);
            sy = 1 + r.nextInt(3); sx = 1 + r.nextInt(3);
            pt = r.nextInt(fy); pl = r.nextInt(fx); pb = r.nextInt(fy); pr = r.nextInt(fx);
        }
        byte[] in = data(r, n * h * w * c);
        for (Pool2d.Kind kind : Pool2d.Kind.values()) {
            Pool2d ref = Pool2d.prepare(kind, n, h, w, c, fy, fx, sy, sx, pt, pl, pb, pr, Backend.SCALAR);
            byte[] expect = new byte[ref.outputSize()];
            ref.run(in, expect);
            FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("hw32"));
            byte[] hwOut = new byte[expect.length];
            hw.run(ref, in, hwOut);
            assertTrue(hw.lastSaturations() == 0, "int8 window sums cannot overflow 32 bits");
            assertSame("hw " + kind, expect, hwOut);
            for (Backend b : backends()) {
                byte[] out = new byte[expect.length];
                Pool2d.prepare(kind, n, h, w, c, fy, fx, sy, sx, pt, pl, pb, pr, b).run(in, out);
                assertSame(b + " " + kind, expect, out);
            }
        }
    }

    @Test
    void dataMovementVariantsAgreeWithTheirDefinitions() {
        Random r = new Random(14);
        int n = 2, h = 3, w = 4, c = 5, rr = 2;
        byte[] in = randomBytes(r, n * h * w * c * rr * rr);
        byte[] ref = new byte[in.length];
        DataMovement.pixelShuffle(in, ref, n, h, w, c, rr, Backend.SCALAR);
        for (int b = 0; b < n; b++) for (int y = 0; y < h * rr; y++) for (int x = 0; x < w * rr; x++) for (int ch = 0; ch < c; ch++) {
            int src = ((b * h + y / rr) * w + x / rr) * c * rr * rr + ch * rr * rr + (y % rr) * rr + (x % rr);
            assertTrue(ref[((b * h * rr + y) * w * rr + x) * c + ch] == in[src]);
        }
        byte[] small = randomBytes(r, n * h * w * c);
        byte[] up = new byte[small.length * 6];
        DataMovement.upsampleNearest(small, up, n, h, w, c, 2, 3, Backend.SCALAR);
        for (int i = 0; i < up.length; i++) {
            int ch = i % c, x = (i / c) % (w * 3), y = (i / c / (w * 3)) % (h * 2), b = i / c / (w * 3) / (h * 2);
            assertTrue(up[i] == small[((b * h + y / 2) * w + x / 3) * c + ch]);
        }
        byte[] a = randomBytes(r, 10 * 3), bb = randomBytes(r, 10 * 7), cat = new byte[100];
        DataMovement.concatChannels(new byte[][] {a, bb}, new int[] {3, 7}, cat, 10, Backend.SCALAR);
        for (int p = 0; p < 10; p++) for (int ch = 0; ch < 10; ch++)
            assertTrue(cat[p * 10 + ch] == (ch < 3 ? a[p * 3 + ch] : bb[p * 7 + ch - 3]));
        for (Backend b : backends()) {
            byte[] o1 = new byte[ref.length], o2 = new byte[up.length], o3 = new byte[100];
            DataMovement.pixelShuffle(in, o1, n, h, w, c, rr, b);
            DataMovement.upsampleNearest(small, o2, n, h, w, c, 2, 3, b);
            DataMovement.concatChannels(new byte[][] {a, bb}, new int[] {3, 7}, o3, 10, b);
            assertSame(b + " pixel shuffle", ref, o1);
            assertSame(b + " upsample", up, o2);
            assertSame(b + " concat", cat, o3);
        }
    }
}
