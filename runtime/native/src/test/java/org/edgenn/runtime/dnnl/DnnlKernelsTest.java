package org.edgenn.runtime.dnnl;

import static org.edgenn.runtime.testutil.Mismatch.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.dnnl.global.dnnl;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Dense;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native family against the scalar reference and the hardware model on the layer shapes of the example networks
 * and the benchmark, with weights at the exactness bound; the choice of family; the fallback of a layer whose sums
 * could exceed 2^24; and no allocation per call once warm.
 */
class DnnlKernelsTest {
    private static boolean vnni() {
        return DnnlRuntime.hasVnni(dnnl.dnnl_get_effective_cpu_isa());
    }

    @Test
    void nativeFamilyIsChosenExactlyWhenTheCpuHasVnni() {
        if (vnni()) {
            assertEquals(Backend.NATIVE, KernelBackend.defaultBackend(), String.valueOf(KernelBackend.unavailableReason(Backend.NATIVE)));
        } else {
            assertFalse(KernelBackend.isAvailable(Backend.NATIVE));
            assertTrue(KernelBackend.unavailableReason(Backend.NATIVE).contains("VNNI"), KernelBackend.unavailableReason(Backend.NATIVE));
            assertEquals(Backend.VECTOR, KernelBackend.defaultBackend());
        }
    }

    /** Weights of one output channel whose positive part sums to {@code pos} (at most), negatives to {@code neg}. */
    private static void fillChannel(byte[] w, int from, int len, Random r, long pos, long neg) {
        for (int i = from; i < from + len; i++) {
            int v = r.nextBoolean() ? r.nextInt(128) : -r.nextInt(129);
            if (v > 0 && pos >= v) pos -= v;
            else if (v < 0 && neg >= -v) neg += v;
            else v = 0;
            w[i] = (byte) v;
        }
    }

    record Shape(String name, Conv2dSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> shapes() {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("FashionCnn c1 1->32 3x3 28x28", Conv2dSpec.of(1, 28, 28, 1, 32, 3, 3).withPadding(1)));
        s.add(new Shape("FashionCnn c2 32->64 3x3 14x14", Conv2dSpec.of(1, 14, 14, 32, 64, 3, 3).withPadding(1)));
        s.add(new Shape("dense 3136->128", Conv2dSpec.of(1, 1, 1, 3136, 128, 1, 1)));
        s.add(new Shape("dense 128->160", Conv2dSpec.of(1, 1, 1, 128, 160, 1, 1)));
        s.add(new Shape("3x3 64->64 at 20x17, pad 1", Conv2dSpec.of(1, 20, 17, 64, 64, 3, 3).withPadding(1)));
        s.add(new Shape("1x1 64->48 batch 2", Conv2dSpec.of(2, 9, 7, 64, 48, 1, 1)));
        s.add(new Shape("5x3 stride 2 dilation 2 asymmetric pad", Conv2dSpec.of(1, 15, 13, 24, 40, 5, 3).withStride(2, 2).withDilation(2, 2).withPadding(2, 1, 1, 0)));
        s.add(new Shape("grouped 4", Conv2dSpec.of(1, 10, 10, 32, 64, 3, 3).withPadding(1).withGroups(4)));
        s.add(new Shape("depthwise 3x3 s2", Conv2dSpec.of(1, 16, 16, 64, 64, 3, 3).withPadding(1).withStride(2, 2).withGroups(64)));
        s.add(new Shape("7x7 64->1 synthesis", Conv2dSpec.of(1, 12, 12, 64, 1, 7, 7).withPadding(3)));
        List<Arguments> a = new ArrayList<>();
        RequantMode[] modes = RequantMode.values();
        for (int i = 0; i < s.size(); i++) a.add(Arguments.of(s.get(i), modes[i % modes.length], i % 2 == 0));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} atBound={2}")
    @MethodSource("shapes")
    void nativeEqualsReferenceAndHardwareModel(Shape shape, RequantMode mode, boolean atBound) {
        Assumptions.assumeTrue(KernelBackend.isAvailable(Backend.NATIVE), "no native family on this machine");
        Conv2dSpec s = shape.spec();
        Random r = new Random(s.hashCode());
        byte[] in = new byte[s.inputSize()];
        r.nextBytes(in);
        if (atBound) for (int i = 0; i < in.length; i++) in[i] = (byte) (r.nextBoolean() ? -128 : 127);
        byte[] w = new byte[s.weightSize()];
        int per = w.length / s.k();
        long limit = DnnlConvPrimitive.FLOAT_EXACT / 255; // the positive and the negative part may each reach this
        for (int k = 0; k < s.k(); k++) fillChannel(w, k * per, per, r, atBound ? limit : limit / 3, atBound ? limit : limit / 3);
        int[] bias = new int[s.k()];
        for (int i = 0; i < bias.length; i++) bias[i] = r.nextInt(1 << 16) - (1 << 15);
        float[] ws = new float[s.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.0005f + r.nextFloat() * 0.01f;
        LayerQuant q = LayerQuant.of(new QuantParams(0.02f, r.nextInt(256) - 128), ChannelScales.perChannel(ws),
                new QuantParams(0.02f * 0.005f * (float) Math.sqrt(per) * 40, r.nextInt(256) - 128), mode);
        if (mode == RequantMode.DOUBLE_ROUNDING) q = q.withRelu();

        Conv2d ref = Conv2d.prepare(s, w, bias, q, Backend.SCALAR);
        Conv2d nat = Conv2d.prepare(s, w, bias, q, Backend.NATIVE);
        assertTrue(nat.implementation().startsWith("oneDNN"), shape + " should run on oneDNN, runs on " + nat.implementation());
        int[] accRef = new int[s.outputSize()], acc = new int[s.outputSize()], accHw = new int[s.outputSize()];
        byte[] outRef = new byte[s.outputSize()], out = new byte[s.outputSize()], outHw = new byte[s.outputSize()];
        ref.accumulate(in, accRef);
        ref.run(in, outRef);
        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("hw32", 32, mode));
        hw.accumulate(ref, in, accHw);
        hw.run(ref, in, outHw);
        assertSame("model accumulators", accRef, accHw);
        assertSame("model output", outRef, outHw);
        for (int round = 0; round < 2; round++) { // prepared once, run twice: the padded image and buffers are reused
            nat.accumulate(in, acc);
            nat.run(in, out);
            assertSame("native accumulators", accRef, acc);
            assertSame("native output", outRef, out);
        }
        int distinct = (int) java.util.stream.IntStream.range(0, out.length).map(i -> out[i]).distinct().count();
        assertTrue(distinct > 3, "outputs should not be saturated constants (" + distinct + " distinct values)");
    }

    @Test
    void layerWhoseSumsCouldExceedTwoToThe24InEverySlicingStaysOnJava() {
        Assumptions.assumeTrue(KernelBackend.isAvailable(Backend.NATIVE), "no native family on this machine");
        Conv2dSpec s = Conv2dSpec.of(1, 24, 24, 4, 3, 23, 23); // one channel alone: 529 taps · 127 · 255 > 2^24
        byte[] w = new byte[s.weightSize()];
        java.util.Arrays.fill(w, (byte) 127);
        assertEquals(0, DnnlConv2d.slices(Conv2d.prepare(s, w, null, quantOfLargeSums(s), Backend.SCALAR)));
        byte[] in = new byte[s.inputSize()];
        java.util.Arrays.fill(in, (byte) 127);
        Conv2d nat = Conv2d.prepare(s, w, null, quantOfLargeSums(s), Backend.NATIVE);
        assertFalse(nat.implementation().startsWith("oneDNN"), nat.implementation());
        int[] acc = new int[s.outputSize()], accRef = new int[s.outputSize()];
        nat.accumulate(in, acc);
        Conv2d.prepare(s, w, null, quantOfLargeSums(s), Backend.SCALAR).accumulate(in, accRef);
        assertSame("fallback accumulators", accRef, acc);
        assertEquals(255 * 127 * 529 * 4, accRef[0]); // x − zx = 255 on every tap
    }

    private static LayerQuant quantOfLargeSums(Conv2dSpec s) {
        return LayerQuant.of(new QuantParams(0.02f, -128), ChannelScales.perTensor(0.01f, s.k()), new QuantParams(1000f, 0),
                RequantMode.DOUBLE_ROUNDING);
    }

    /** Wide reductions (sums above 2^24) run native in slices of input channels whose partial sums each stay below it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("wideShapes")
    void wideReductionsRunInChannelSlicesAndStayExact(String name, Conv2dSpec s) {
        Assumptions.assumeTrue(KernelBackend.isAvailable(Backend.NATIVE), "no native family on this machine");
        Random r = new Random(11);
        byte[] w = new byte[s.weightSize()];
        int per = w.length / s.k();
        // channel 0 mostly positive, so that with x − zx = 255 on every tap its sum is far above 2^24
        for (int i = 0; i < w.length; i++) w[i] = (byte) (i < per ? r.nextInt(121) - 20 : r.nextInt(201) - 100);
        byte[] in = new byte[s.inputSize()];
        for (int i = 0; i < in.length; i++) in[i] = (byte) (i % 7 == 0 ? r.nextInt(256) - 128 : 127);
        int[] bias = new int[s.k()];
        for (int i = 0; i < bias.length; i++) bias[i] = r.nextInt(1 << 20) - (1 << 19);
        float[] ws = new float[s.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.0005f + r.nextFloat() * 0.002f;
        LayerQuant q = LayerQuant.of(new QuantParams(0.02f, -128), ChannelScales.perChannel(ws), new QuantParams(60f, 3), RequantMode.DOUBLE_ROUNDING);
        Conv2d ref = Conv2d.prepare(s, w, bias, q, Backend.SCALAR);
        Conv2d nat = Conv2d.prepare(s, w, bias, q, Backend.NATIVE);
        int slices = DnnlConv2d.slices(ref);
        assertTrue(slices >= 2 && slices <= DnnlConv2d.MAX_SLICES, "slices " + slices);
        assertTrue(nat.implementation().startsWith("oneDNN") && nat.implementation().endsWith("x" + slices + " channel slices"), nat.implementation());
        int[] accRef = new int[s.outputSize()], acc = new int[s.outputSize()];
        byte[] outRef = new byte[s.outputSize()], out = new byte[s.outputSize()];
        ref.accumulate(in, accRef);
        ref.run(in, outRef);
        assertTrue(java.util.Arrays.stream(accRef).anyMatch(v -> Math.abs(v) > DnnlConvPrimitive.FLOAT_EXACT), "sums above 2^24 expected");
        for (int round = 0; round < 2; round++) {
            nat.accumulate(in, acc);
            nat.run(in, out);
            assertSame("sliced accumulators", accRef, acc);
            assertSame("sliced output", outRef, out);
        }
    }

    static Stream<Arguments> wideShapes() {
        return Stream.of(Arguments.of("dense 3136->128", Conv2dSpec.of(1, 1, 1, 3136, 128, 1, 1)),
                Arguments.of("3x3 384->32 at 6x5", Conv2dSpec.of(1, 6, 5, 384, 32, 3, 3).withPadding(1)),
                Arguments.of("1x1 5000->16 batch 3", Conv2dSpec.of(3, 1, 1, 5000, 16, 1, 1)));
    }

    @Test
    void exactBoundIsTheLargestOneSignedSum() {
        // channel 0: positives 130, negatives 133; channel 1: positives 3, negatives 1 (brute force over its 16 subsets: 3)
        assertEquals(255L * 133, DnnlConvPrimitive.exactBound(new byte[] {3, -5, 127, -128}, 1));
        assertEquals(255L * 3, DnnlConvPrimitive.exactBound(new byte[] {0, 1, -1, 2}, 1));
        assertEquals(255L * 133, DnnlConvPrimitive.exactBound(new byte[] {3, -5, 127, -128, 0, 1, -1, 2}, 2));
    }

    @Test
    void runAllocatesNothingOnceWarm() {
        Assumptions.assumeTrue(KernelBackend.isAvailable(Backend.NATIVE), "no native family on this machine");
        Random r = new Random(3);
        Conv2dSpec s = Conv2dSpec.of(1, 14, 14, 32, 64, 3, 3).withPadding(1);
        byte[] w = new byte[s.weightSize()];
        for (int i = 0; i < w.length; i++) w[i] = (byte) (r.nextInt(61) - 30);
        float[] ws = new float[s.k()];
        java.util.Arrays.fill(ws, 0.004f);
        Conv2d conv = Conv2d.prepare(s, w, null, LayerQuant.of(new QuantParams(0.02f, 3), ChannelScales.perChannel(ws),
                new QuantParams(0.1f, -2), RequantMode.DOUBLE_ROUNDING).withRelu(), Backend.NATIVE);
        byte[] dw = new byte[s.outputSize() * 10];
        for (int i = 0; i < dw.length; i++) dw[i] = (byte) (r.nextInt(41) - 20);
        float[] ds = new float[10];
        java.util.Arrays.fill(ds, 0.003f);
        Dense dense = Dense.prepare(1, s.outputSize(), 10, dw, null, LayerQuant.of(new QuantParams(0.1f, -2), ChannelScales.perChannel(ds),
                new QuantParams(0.5f, 0), RequantMode.SINGLE_ROUNDING), Backend.NATIVE);
        assertTrue(conv.implementation().startsWith("oneDNN") && dense.asConv2d().implementation().startsWith("oneDNN"));
        byte[] in = new byte[s.inputSize()], mid = new byte[s.outputSize()], out = new byte[10];
        r.nextBytes(in);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long deadline = System.nanoTime() + 120_000_000_000L;
        long allocated = -1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 200; i++) { // warm-up round: lets C2 compile the Java side (copy loop, output stage)
                conv.run(in, mid);
                dense.run(mid, out);
            }
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20; i++) {
                conv.run(in, mid);
                dense.run(mid, out);
            }
            allocated = mx.getThreadAllocatedBytes(id) - before;
            if (allocated == 0) break;
        }
        assertEquals(0, allocated, "bytes allocated by 20 warm inferences");
    }
}
