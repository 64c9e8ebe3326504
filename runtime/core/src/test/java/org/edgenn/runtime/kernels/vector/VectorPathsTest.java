package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.testutil.Mismatch.assertSame;
import static org.edgenn.runtime.testutil.Mismatch.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API paths chosen by shape at prepare time (only run with the incubator module, see the
 * surefire configuration): each shape asserts which convolution path it takes, then every result
 * must equal the scalar reference bit for bit, at edge sizes (row and channel counts that are not
 * multiples of the lanes or of the 4-way blocking, reductions longer than one exact float chunk,
 * tails of the element-wise loops, in-buffer offsets).
 */
class VectorPathsTest {
    static Stream<Arguments> convShapes() {
        return Stream.of(
                // reduction-vectorized (VectorDotConv), 4 pixels × 1 row
                Arguments.of("CSC synthesis 64->1 7x7 same", Conv2dSpec.of(1, 11, 9, 64, 1, 7, 7).withPadding(3), true, false),
                Arguments.of("K=3, C=5 (row 15 of 16 lanes), stride 2, batch 2", Conv2dSpec.of(2, 10, 7, 5, 3, 3, 3).withStride(2, 2).withPadding(1), true, false),
                Arguments.of("K=2, y-dilation, asymmetric padding", Conv2dSpec.of(1, 9, 9, 20, 2, 3, 3).withDilation(2, 1).withPadding(0, 2, 1, 0), true, false),
                Arguments.of("K=2, rows longer than one chunk, extremes", Conv2dSpec.of(1, 3, 4, 1500, 2, 3, 3).withPadding(1), true, true),
                // reduction-vectorized, 1 pixel × 4 rows (GEMV)
                Arguments.of("dense 500->500", Conv2dSpec.of(1, 1, 1, 500, 500, 1, 1), true, false),
                Arguments.of("dense 3136->10 (K not a multiple of 4)", Conv2dSpec.of(1, 1, 1, 3136, 10, 1, 1), true, false),
                Arguments.of("gemm 3x33x7", Conv2dSpec.of(1, 1, 3, 33, 7, 1, 1), true, false),
                Arguments.of("dense 9000->3, 3 chunks, extremes", Conv2dSpec.of(1, 1, 1, 9000, 3, 1, 1), true, true),
                Arguments.of("3x3 valid conv to 1 pixel, batch 2", Conv2dSpec.of(2, 3, 3, 4, 6, 3, 3), true, false),
                // output-channel blocks (VectorConv2d)
                Arguments.of("CSC analysis 1->64 7x7 same (im2col filter rows)", Conv2dSpec.of(1, 10, 12, 1, 64, 7, 7).withPadding(3), false, false),
                Arguments.of("1->32 3x3 same", Conv2dSpec.of(1, 8, 8, 1, 32, 3, 3).withPadding(1), false, false),
                // ... with blocks of 2 vectors (K <= 2·L), pixel tails and an odd last chunk for the 1-pixel kernel
                Arguments.of("K=17, C=3, 35 pixels", Conv2dSpec.of(1, 5, 7, 3, 17, 3, 3).withPadding(1), false, false),
                Arguments.of("1x1 K=20, C=301 (chunks of 256 + 45), 7 pixels", Conv2dSpec.of(1, 1, 7, 301, 20, 1, 1), false, true),
                // few channels: taps read through the offset table (no im2col), 4-vector blocks, stride 2, extremes
                Arguments.of("K=40, C=2, 3x3 stride 2, extremes", Conv2dSpec.of(1, 9, 10, 2, 40, 3, 3).withStride(2, 2).withPadding(1), false, true),
                Arguments.of("K=40, C=40, 3x3: gathered taps in two chunks, extremes", Conv2dSpec.of(1, 5, 6, 40, 40, 3, 3).withPadding(1), false, true),
                Arguments.of("K=33 (4-vector blocks again)", Conv2dSpec.of(1, 5, 7, 8, 33, 3, 3).withPadding(1), false, false),
                Arguments.of("32->64 3x3 same, x-dilation", Conv2dSpec.of(1, 7, 9, 32, 64, 3, 3).withPadding(2).withDilation(1, 2), false, false),
                Arguments.of("grouped 1->2 per group, 3x3", Conv2dSpec.of(1, 6, 6, 3, 6, 3, 3).withGroups(3), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convShapes")
    void convPathsEqualTheScalarReference(String name, Conv2dSpec spec, boolean dot, boolean extremes) {
        assertEquals(dot, VectorDotConv.suits(spec), "path chosen for " + spec);
        Random r = new Random(name.hashCode());
        byte[] in = randomBytes(r, spec.inputSize());
        byte[] w = randomBytes(r, spec.weightSize());
        if (extremes) { // the largest products everywhere: each float lane reaches 2^22 within a chunk
            Arrays.fill(in, (byte) -128);
            Arrays.fill(w, (byte) -128);
        }
        int[] bias = IntStream.range(0, spec.k()).map(i -> r.nextInt(1 << 20) - (1 << 19)).toArray();
        float[] ws = new float[spec.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.0005f + r.nextFloat() * 0.05f;
        float sin = 0.02f;
        float sout = (float) (sin * 0.02 * Math.sqrt(spec.fy() * spec.fx() * spec.inC()) * 60);
        for (RequantMode mode : RequantMode.values()) {
            LayerQuant q = LayerQuant.of(new QuantParams(sin, r.nextInt(256) - 128), ChannelScales.perChannel(ws),
                    new QuantParams(sout, r.nextInt(256) - 128), mode);
            Conv2d ref = Conv2d.prepare(spec, w, bias, q, Backend.SCALAR);
            Conv2d vec = Conv2d.prepare(spec, w, bias, q, Backend.VECTOR);
            int[] accRef = new int[spec.outputSize()], acc = new int[spec.outputSize()];
            byte[] outRef = new byte[spec.outputSize()], out = new byte[spec.outputSize()];
            ref.accumulate(in, accRef);
            vec.accumulate(in, acc);
            assertSame(mode + " accumulators", accRef, acc);
            ref.run(in, outRef);
            vec.run(in, out);
            assertSame(mode + " output", outRef, out);
            vec.run(in, out); // scratch reused
            assertSame(mode + " output, second run", outRef, out);
            if (!dot) { // the direct blocked kernel too, also where Winograd F(4x4,3x3) is chosen for the layer
                VectorConv2d direct = new VectorConv2d(vec);
                Arrays.fill(acc, 0);
                direct.accumulate(in, acc);
                assertSame(mode + " direct accumulators", accRef, acc);
                Arrays.fill(out, (byte) 0);
                direct.run(in, out);
                assertSame(mode + " direct output", outRef, out);
            }
        }
    }

    /**
     * Weights of a Winograd case: random int8; ±128/127; only tap (0,0) = −128; or every weight and input −128 (interior
     * sums y = 9·C·2^14, the largest the int path must hold).
     */
    enum WinoWeights { RANDOM, EXTREME, CORNER, ALL_MIN }

    static Stream<Arguments> winogradShapes() {
        return Stream.of(
                // name, spec, weights, whether Winograd F(4x4,3x3) is chosen (else the direct kernel)
                Arguments.of("64->64 10x12 same", Conv2dSpec.of(1, 10, 12, 64, 64, 3, 3).withPadding(1), WinoWeights.RANDOM, true),
                Arguments.of("C=56 K=70 (two channel blocks, odd counts), odd output 9x11 (odd tile count), batch 2",
                        Conv2dSpec.of(2, 9, 11, 56, 70, 3, 3).withPadding(1), WinoWeights.RANDOM, true),
                Arguments.of("C=49 K=33 valid: 6x5 output", Conv2dSpec.of(1, 8, 7, 49, 33, 3, 3), WinoWeights.RANDOM, true),
                Arguments.of("C=50 K=48 asymmetric padding, 19 columns", Conv2dSpec.of(1, 6, 19, 50, 48, 3, 3).withPadding(0, 2, 1, 0),
                        WinoWeights.RANDOM, true),
                Arguments.of("C=48 K=64, the fewest channels routed", Conv2dSpec.of(1, 7, 7, 48, 64, 3, 3).withPadding(1), WinoWeights.RANDOM, true),
                Arguments.of("K=130 (three output blocks), 5x13, one tile of 4 columns only 1 wide, batch 2",
                        Conv2dSpec.of(2, 5, 13, 64, 130, 3, 3).withPadding(1), WinoWeights.RANDOM, true),
                Arguments.of("1x5 output (two tiles, 3 of 4 rows unused, 3 of 4 columns of the second)", Conv2dSpec.of(1, 3, 7, 64, 40, 3, 3), WinoWeights.RANDOM, true),
                Arguments.of("extreme weights 64->64", Conv2dSpec.of(1, 6, 9, 64, 64, 3, 3).withPadding(1), WinoWeights.EXTREME, true),
                Arguments.of("C=227 all -128: y = 9*227*2^14 just below 2^25", Conv2dSpec.of(1, 6, 6, 227, 40, 3, 3).withPadding(1),
                        WinoWeights.ALL_MIN, true),
                Arguments.of("C=228 all -128: |y| could reach 2^25, direct", Conv2dSpec.of(1, 6, 6, 228, 40, 3, 3).withPadding(1),
                        WinoWeights.ALL_MIN, false),
                Arguments.of("C=300 extreme: direct", Conv2dSpec.of(1, 5, 6, 300, 40, 3, 3).withPadding(1), WinoWeights.EXTREME, false),
                Arguments.of("C=600, one tap -128: 128*sum|w| < 2^25, int", Conv2dSpec.of(1, 5, 6, 600, 40, 3, 3), WinoWeights.CORNER, true),
                Arguments.of("stride 2: direct", Conv2dSpec.of(1, 9, 9, 64, 40, 3, 3).withStride(2, 2).withPadding(1), WinoWeights.RANDOM, false),
                Arguments.of("grouped 3x3: direct", Conv2dSpec.of(1, 8, 8, 128, 64, 3, 3).withGroups(2).withPadding(1), WinoWeights.RANDOM, false),
                Arguments.of("depthwise 3x3: direct", Conv2dSpec.of(1, 8, 8, 64, 64, 3, 3).withGroups(64).withPadding(1), WinoWeights.RANDOM, false),
                Arguments.of("dilation 2: direct", Conv2dSpec.of(1, 9, 9, 64, 40, 3, 3).withDilation(2, 2).withPadding(2), WinoWeights.RANDOM, false),
                Arguments.of("5x5 filter: direct", Conv2dSpec.of(1, 9, 9, 64, 40, 5, 5).withPadding(2), WinoWeights.RANDOM, false),
                Arguments.of("C=47 (below the minimum): direct", Conv2dSpec.of(1, 8, 8, 47, 64, 3, 3).withPadding(1), WinoWeights.RANDOM, false));
    }

    /**
     * Winograd F(4x4,3x3) in wrapping int32: the layers it is chosen for (|y| < 2^25 guaranteed by the weights), and
     * bit-exact results against the scalar reference in every requantization mode, accumulators and outputs. Inputs
     * alternate −128 / 127 in 2×2 blocks unless random or all −128 (the largest |y|).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("winogradShapes")
    void winogradIsChosenWhereProvablyExactAndEqualsTheReference(String name, Conv2dSpec spec, WinoWeights kind, boolean winograd) {
        Random r = new Random(name.hashCode());
        byte[] in = new byte[spec.inputSize()];
        for (int b = 0; b < spec.n(); b++)
            for (int y = 0; y < spec.h(); y++)
                for (int x = 0; x < spec.w(); x++)
                    for (int c = 0; c < spec.c(); c++) {
                        int py = y + spec.padTop(), px = x + spec.padLeft();
                        in[((b * spec.h() + y) * spec.w() + x) * spec.c() + c] = (byte) (((py & 2) == (px & 2)) ? -128 : 127);
                    }
        if (kind == WinoWeights.RANDOM) r.nextBytes(in);
        if (kind == WinoWeights.ALL_MIN) Arrays.fill(in, (byte) -128);
        byte[] w = randomBytes(r, spec.weightSize());
        if (kind == WinoWeights.EXTREME) for (int i = 0; i < w.length; i++) w[i] = (byte) (r.nextBoolean() ? -128 : 127);
        if (kind == WinoWeights.ALL_MIN) Arrays.fill(w, (byte) -128);
        if (kind == WinoWeights.CORNER) {
            Arrays.fill(w, (byte) 0);
            for (int k = 0; k < spec.k(); k++) for (int c = 0; c < spec.inC(); c++) w[k * spec.fy() * spec.fx() * spec.inC() + c] = -128;
        }
        int[] bias = IntStream.range(0, spec.k()).map(i -> r.nextInt(1 << 20) - (1 << 19)).toArray();
        float[] ws = new float[spec.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.0005f + r.nextFloat() * 0.05f;
        float sin = 0.02f;
        float sout = (float) (sin * 0.02 * Math.sqrt(spec.fy() * spec.fx() * spec.inC()) * 60);
        for (RequantMode mode : RequantMode.values()) {
            LayerQuant q = LayerQuant.of(new QuantParams(sin, r.nextInt(256) - 128), ChannelScales.perChannel(ws),
                    new QuantParams(sout, r.nextInt(256) - 128), mode);
            Conv2d ref = Conv2d.prepare(spec, w, bias, q, Backend.SCALAR);
            Conv2d vec = Conv2d.prepare(spec, w, bias, q, Backend.VECTOR);
            String impl = vec.implementation();
            assertEquals(winograd, impl.contains("Winograd F(4x4,3x3)"), impl);
            assertEquals(winograd, VectorWinogradInt.suits(vec), impl);
            int[] accRef = new int[spec.outputSize()], acc = new int[spec.outputSize()];
            byte[] outRef = new byte[spec.outputSize()], out = new byte[spec.outputSize()];
            ref.accumulate(in, accRef);
            vec.accumulate(in, acc);
            assertSame(mode + " accumulators", accRef, acc);
            ref.run(in, outRef);
            vec.run(in, out);
            assertSame(mode + " output", outRef, out);
            Arrays.fill(out, (byte) 0);
            vec.run(in, out); // scratch reused
            assertSame(mode + " output, second run", outRef, out);
        }
    }

    /** {@code -Dedgenn.winograd=false} (read at prepare) routes a layer Winograd would take to the direct kernel, same result; another value is an error. */
    @org.junit.jupiter.api.Test
    void winogradCanBeSwitchedOff() {
        Random r = new Random(5);
        Conv2dSpec s = Conv2dSpec.of(1, 9, 8, 64, 48, 3, 3).withPadding(1);
        byte[] w = randomBytes(r, s.weightSize()), in = randomBytes(r, s.inputSize());
        LayerQuant q = LayerQuant.of(new QuantParams(0.02f, 3), ChannelScales.perTensor(0.004f, s.k()), new QuantParams(0.1f, -2),
                RequantMode.DOUBLE_ROUNDING);
        Conv2d on = Conv2d.prepare(s, w, null, q, Backend.VECTOR);
        Conv2d off;
        try {
            System.setProperty(VectorKernels.WINOGRAD_PROPERTY, "false");
            off = Conv2d.prepare(s, w, null, q, Backend.VECTOR);
        } finally {
            System.clearProperty(VectorKernels.WINOGRAD_PROPERTY);
        }
        assertTrue(on.implementation().contains("Winograd"), on.implementation());
        assertTrue(!off.implementation().contains("Winograd"), off.implementation());
        try {
            System.setProperty(VectorKernels.WINOGRAD_PROPERTY, "off");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Conv2d.prepare(s, w, null, q, Backend.VECTOR));
            assertTrue(e.getMessage().contains("edgenn.winograd=off"), e.getMessage());
        } finally {
            System.clearProperty(VectorKernels.WINOGRAD_PROPERTY);
        }
        byte[] expect = new byte[s.outputSize()], a = new byte[s.outputSize()], b = new byte[s.outputSize()];
        Conv2d.prepare(s, w, null, q, Backend.SCALAR).run(in, expect);
        on.run(in, a);
        off.run(in, b);
        assertSame("Winograd", expect, a);
        assertSame("direct", expect, b);
    }

    /**
     * No allocation per call once C2 has compiled the Winograd path (all three requantization modes, and accumulators),
     * after the rest of this suite has profiled the shared vector code. Rounds (the SteadyAllocation rule of the generator tests)
     * until one round allocates nothing, within 2 minutes: robust to JIT timing and load, no timing assertion; an
     * allocation on every call shows in every round, so it still fails, with the bytes per mode.
     */
    @org.junit.jupiter.api.Test
    void winogradAllocatesNothingOnceWarm() {
        Random r = new Random(17);
        Conv2dSpec s = Conv2dSpec.of(1, 14, 14, 64, 64, 3, 3).withPadding(1);
        byte[] w = randomBytes(r, s.weightSize()), in = randomBytes(r, s.inputSize());
        float[] ws = new float[s.k()];
        Arrays.fill(ws, 0.004f);
        Conv2d[] layers = new Conv2d[3];
        for (int m = 0; m < 3; m++) {
            layers[m] = Conv2d.prepare(s, w, null, LayerQuant.of(new QuantParams(0.02f, 3), ChannelScales.perChannel(ws),
                    new QuantParams(0.1f, -2), RequantMode.values()[m]), Backend.VECTOR);
            assertTrue(layers[m].implementation().contains("F(4x4,3x3)"), layers[m].implementation());
        }
        byte[] out = new byte[s.outputSize()];
        int[] acc = new int[s.outputSize()];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + 120_000_000_000L;
        long[] per = new long[4]; // bytes of 20 calls of each mode's run, and of accumulate
        long allocated;
        int rounds = 0;
        do {
            for (int i = 0; i < 20; i++) for (Conv2d l : layers) l.run(in, out);
            layers[0].accumulate(in, acc);
            for (int m = 0; m < 4; m++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20; i++) {
                    if (m < 3) layers[m].run(in, out);
                    else layers[0].accumulate(in, acc);
                }
                per[m] = mx.getCurrentThreadAllocatedBytes() - before;
            }
            allocated = Arrays.stream(per).sum();
            rounds++;
        } while (allocated != 0 && System.nanoTime() < deadline);
        assertEquals(0, allocated, "bytes allocated by 20 Winograd calls after " + rounds
                + " rounds (DOUBLE, SINGLE, FLOAT, accumulate): " + Arrays.toString(per));
    }

    static Stream<Arguments> shrinkShapes() {
        // channels dividing the lanes (c = 1 broadcasts), periods of several vectors, one vector per pixel,
        // and a channel count whose period lcm(c, lanes) is too long, so pixels are done one at a time
        return Stream.of(Arguments.of(1, 500), Arguments.of(2, 77), Arguments.of(3, 100), Arguments.of(7, 33), Arguments.of(64, 9),
                Arguments.of(100, 13), Arguments.of(128, 5), Arguments.of(500, 3), Arguments.of(4099, 3), Arguments.of(1, 63));
    }

    @ParameterizedTest(name = "c={0} pixels={1}")
    @MethodSource("shrinkShapes")
    void softThresholdEqualsTheScalarReference(int c, int pixels) {
        Random r = new Random(31L * c + pixels);
        int n = c * pixels;
        byte[] in = randomBytes(r, n + 2);
        byte[] th = new byte[c];
        for (int i = 0; i < c; i++) th[i] = (byte) (i % 5 == 0 ? (i % 2 == 0 ? 0 : 127) : r.nextInt(128));
        for (int zp : new int[] {-128, 127, r.nextInt(256) - 128}) {
            byte[] expect = new byte[n + 2], out = new byte[n + 2];
            SoftThreshold.prepare(th, zp, Backend.SCALAR).run(in, 1, expect, 1, pixels);
            SoftThreshold.prepare(th, zp, Backend.VECTOR).run(in, 1, out, 1, pixels);
            assertSame("zp " + zp, expect, out);
            byte[] inPlace = Arrays.copyOf(in, n + 2); // the generated code may shrink in place
            SoftThreshold.prepare(th, zp, Backend.VECTOR).run(inPlace, 1, inPlace, 1, pixels);
            assertSame("zp " + zp + " in place", Arrays.copyOfRange(expect, 1, n + 1), Arrays.copyOfRange(inPlace, 1, n + 1));
        }
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("addSizes")
    void addEqualsTheScalarReference(int n) {
        Random r = new Random(n);
        byte[] a = randomBytes(r, n + 3), b = randomBytes(r, n + 3);
        QuantParams qa = new QuantParams(0.05f + r.nextFloat(), r.nextInt(256) - 128);
        QuantParams qb = new QuantParams(0.05f + r.nextFloat(), r.nextInt(256) - 128);
        // a normal output scale, and a tiny one: the output multiplier then has a left shift that wraps in 32 bits
        for (float so : new float[] {0.1f + r.nextFloat(), 1e-8f}) {
            QuantParams qo = new QuantParams(so, r.nextInt(256) - 128);
            for (RequantMode mode : new RequantMode[] {RequantMode.DOUBLE_ROUNDING, RequantMode.SINGLE_ROUNDING}) {
                for (boolean sub : new boolean[] {false, true}) {
                    Add ref = sub ? Add.prepareSub(qa, qb, qo, mode, -100, 120, Backend.SCALAR) : Add.prepare(qa, qb, qo, mode, -100, 120, Backend.SCALAR);
                    Add vec = sub ? Add.prepareSub(qa, qb, qo, mode, -100, 120, Backend.VECTOR) : Add.prepare(qa, qb, qo, mode, -100, 120, Backend.VECTOR);
                    if (so < 1e-6f) assertTrue(ref.outShift() > 0, "left shift case");
                    byte[] expect = new byte[n + 3], out = new byte[n + 3];
                    ref.run(a, 2, b, 1, expect, 3, n);
                    vec.run(a, 2, b, 1, out, 3, n);
                    assertSame(mode + (sub ? " sub" : " add") + " scale " + so, expect, out);
                }
            }
        }
    }

    @ParameterizedTest(name = "c={0}")
    @MethodSource("poolChannels")
    void maxPoolInByteLanesEqualsTheScalarReference(int c) {
        // channels as full 64-byte vectors, 16-byte vectors and single bytes; 2x2 stride 2 and 3x3 stride 2 with padding
        Random r = new Random(c);
        byte[] in = randomBytes(r, 2 * 9 * 7 * c);
        for (int[] g : new int[][] {{2, 2, 2, 2, 0, 0, 0, 0}, {3, 3, 2, 2, 1, 1, 1, 1}}) {
            Pool2d ref = Pool2d.prepare(Pool2d.Kind.MAX, 2, 9, 7, c, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], Backend.SCALAR);
            Pool2d vec = Pool2d.prepare(Pool2d.Kind.MAX, 2, 9, 7, c, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], Backend.VECTOR);
            byte[] expect = new byte[ref.outputSize()], out = new byte[ref.outputSize()];
            ref.run(in, expect);
            vec.run(in, out);
            assertSame("max pool " + g[0] + "x" + g[1], expect, out);
        }
    }

    static IntStream poolChannels() {
        return IntStream.of(1, 3, 16, 32, 64, 100);
    }

    static IntStream addSizes() {
        return IntStream.of(1, 7, 8, 9, 63, 500, 4099);
    }
}
