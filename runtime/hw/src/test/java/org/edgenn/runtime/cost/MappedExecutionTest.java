package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.MappedExecution;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.tensor.ActivationBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hardware model executing a mapping: on random (layer, accelerator, mapping) triples its output bytes equal the
 * scalar kernel's and the accesses it makes while computing equal the analytical model's (the mapping table's), every
 * level, operand and kind. Layers: convolutions with strides, dilations, padding and groups, depthwise, dense, max and
 * average pooling, adds and soft thresholds; 8- and 16-bit activations, 2- to 8-bit weights. Accelerators and mappings
 * are {@link SimulatorMatchesModelTest}'s (per-PE, partially and fully shared levels, padded spatial factors, random
 * orders and cuts, so reductions split across levels and partial sums spill and come back).
 */
class MappedExecutionTest {

    /** A layer of the runtime with its loop nest, inputs and the scalar kernel's output. */
    record Case(Workload w, Int8Layer layer, List<byte[]> inputs, byte[] expected) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void valuesEqualTheKernelAndCountsEqualTheModel(long seed) {
        Random r = new Random(seed);
        int executed = 0, spilled = 0;
        for (int trial = 0; trial < 25; trial++) {
            AcceleratorSpec spec = SimulatorMatchesModelTest.randomAccelerator(r, 3, r.nextBoolean());
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Case c = randomCase(r, 32);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, c.w(), h);
            for (int redraw = 0; redraw < 20 && !MappingValidator.violations(c.w(), h, m).isEmpty(); redraw++) {
                m = SimulatorMatchesModelTest.randomMapping(r, c.w(), h);
            }
            if (!MappingValidator.violations(c.w(), h, m).isEmpty()) {
                continue;
            }
            Mapping mapping = m;
            FunctionalModel model = new FunctionalModel(new AcceleratorArithmetic("rand", 16, 32, RequantMode.DOUBLE_ROUNDING));
            MappedExecution.Result x = MappedExecution.execute(c.layer(), c.inputs(), c.w(), h, mapping, model);
            AccessCounts predicted = new CostModel(h, 0).evaluate(c.w(), mapping).counts();
            String where = "seed " + seed + " trial " + trial + "\n" + c.w() + "\n" + mapping.render(h);
            assertArrayEquals(c.expected(), x.output(), () -> where);
            assertEquals(predicted, x.counts(), () -> where + "\nexecuted:\n" + x.counts() + "model:\n" + predicted);
            assertEquals(0, x.saturations(), where);
            executed++;
            // partial sums that went up a level and came back: the reduction was split across levels
            for (int l = 0; l < h.levelCount(); l++) {
                if (x.counts().get(l, Operand.O, AccessCounts.Kind.READ) > 0 && x.counts().get(l, Operand.O, AccessCounts.Kind.WRITE) > 0) {
                    spilled++;
                    break;
                }
            }
        }
        assertTrue(executed >= 15, "too few valid mappings: " + executed);
        assertTrue(spilled >= 3, "too few mappings that spill partial sums: " + spilled);
    }

    /**
     * A layer of a network schedule with operands resident below the backing store (tied weights, a loop-carried state,
     * an output kept on chip for its consumer): the bytes are still the kernel's (resident outputs read from the level
     * that keeps them) and the counts are the model's with those operands resident (their top link idle).
     */
    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34, 35, 36, 37, 38})
    void residentOperandsMoveNothingOnTheirTopLinkAndValuesStayExact(long seed) {
        Random r = new Random(seed);
        int resident = 0;
        for (int trial = 0; trial < 25; trial++) {
            MemoryHierarchy h = MemoryHierarchy.of(SimulatorMatchesModelTest.randomAccelerator(r, 3, r.nextBoolean()));
            Case c = randomCase(r, 32);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, c.w(), h);
            if (!MappingValidator.violations(c.w(), h, m).isEmpty()) {
                continue;
            }
            java.util.Set<Operand> ops = java.util.EnumSet.noneOf(Operand.class);
            for (Operand op : c.w().operands()) {
                int len = h.chainLength(op);
                // an output stays resident only in a level shared by the whole array (reduced in one instance there)
                boolean shared = len >= 2 && !h.level(op, len - 2).perPe() && h.level(op, len - 2).sharedAlong().isEmpty();
                if (len >= 2 && (op != Operand.O || shared) && r.nextBoolean()) {
                    ops.add(op);
                }
            }
            resident += ops.size();
            FunctionalModel model = new FunctionalModel(new AcceleratorArithmetic("rand", 16, 32, RequantMode.DOUBLE_ROUNDING));
            MappedExecution.Result x = MappedExecution.execute(c.layer(), c.inputs(), c.w(), h, m, model, ops);
            AccessCounts predicted = new CostModel(h, 0).withResident(ops).evaluate(c.w(), m).counts();
            String where = "seed " + seed + " trial " + trial + " resident " + ops + "\n" + c.w() + "\n" + m.render(h);
            assertArrayEquals(c.expected(), x.output(), where);
            assertEquals(predicted, x.counts(), () -> where + "\nexecuted:\n" + x.counts() + "model:\n" + predicted);
        }
        assertTrue(resident >= 10, "too few resident operands drawn: " + resident);
    }

    /**
     * A sample of a layer (its outermost output loops removed until a third of the MAC slots remain): the bytes it
     * computes are the kernel's at those outputs, and its counts the model's for the sampled loop nest.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void aSampleComputesAPrefixOfTheOutputsWithTheModelsCounts(long seed) {
        Random r = new Random(seed);
        int sampled = 0;
        for (int trial = 0; trial < 30; trial++) {
            MemoryHierarchy h = MemoryHierarchy.of(SimulatorMatchesModelTest.randomAccelerator(r, 3, r.nextBoolean()));
            Case c = randomCase(r, 32);
            if (!(c.layer() instanceof Int8Layer.Mac || c.layer() instanceof Int8Layer.Pool)) {
                continue;
            }
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, c.w(), h);
            if (!MappingValidator.violations(c.w(), h, m).isEmpty()) {
                continue;
            }
            org.edgenn.runtime.hw.MappedSample s = org.edgenn.runtime.hw.MappedSample.of(c.w(), m,
                    org.edgenn.runtime.hw.MappedSample.slots(m) / 3);
            if (s == null) {
                continue;
            }
            sampled++;
            FunctionalModel model = new FunctionalModel(new AcceleratorArithmetic("rand", 16, 32, RequantMode.DOUBLE_ROUNDING));
            MappedExecution.Result x = MappedExecution.execute(c.layer(), c.inputs(), s.workload(), h, s.mapping(), model);
            int bits = c.layer().outputBits();
            assertTrue(x.written().cardinality() > 0 && x.written().cardinality() < c.expected().length / ActivationBytes.bytesPerValue(bits));
            for (int i = x.written().nextSetBit(0); i >= 0; i = x.written().nextSetBit(i + 1)) {
                assertEquals(ActivationBytes.get(c.expected(), i, bits), ActivationBytes.get(x.output(), i, bits), "output " + i);
            }
            assertEquals(new CostModel(h, 0).evaluate(s.workload(), s.mapping()).counts(), x.counts());
        }
        assertTrue(sampled >= 3, "too few sampled layers: " + sampled);
    }

    /**
     * A 16-bit accumulator that the layer's sums overflow: the execution saturates (and says how often), so its output
     * differs from the exact kernel; the same layer on a 32-bit accumulator is exact.
     */
    @Test
    void partialSumsOverflowingADeclaredNarrowAccumulatorAreReported() {
        int c = 64;
        byte[] weights = new byte[c];
        byte[] in = new byte[c];
        java.util.Arrays.fill(weights, (byte) 127);
        java.util.Arrays.fill(in, (byte) 127);
        Workload w16 = Workload.dense("fc", 1, 1, c, new Workload.Precision(8, 8, 8, 16));
        Conv2d op = Conv2d.prepare(Conv2dSpec.of(1, 1, 1, c, 1, 1, 1), weights, new int[1],
                LayerQuant.of(new QuantParams(1f, 0), ChannelScales.perTensor(1f / 4096, 1), new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING),
                Backend.SCALAR);
        byte[] expected = new byte[1];
        op.run(in, expected);
        Int8Layer.Mac layer = new Int8Layer.Mac("fc", "", op, in, new byte[1]);
        MemoryHierarchy h = MemoryHierarchy.of(oneBuffer());
        // C split: 8 on the array (reduced by the adder tree), 8 in time with the partial sum spilled to the buffer
        Mapping m = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 8)), List.of(new Loop(LoopDim.C, 8)),
                cuts(Map.of(Operand.W, new int[] {0, 1}, Operand.I, new int[] {0, 1}, Operand.O, new int[] {0, 1})));
        MappedExecution.Result narrow = MappedExecution.execute(layer, List.of(in), w16, h, m,
                new FunctionalModel(new AcceleratorArithmetic("acc16", 8, 16, RequantMode.DOUBLE_ROUNDING)));
        assertTrue(narrow.saturations() > 0, "64 x 127 x 127 = 1,032,256 overflows int16");
        assertFalse(java.util.Arrays.equals(expected, narrow.output()), "a saturated sum cannot give the exact output");
        Workload w32 = Workload.dense("fc", 1, 1, c, new Workload.Precision(8, 8, 8, 32));
        MappedExecution.Result wide = MappedExecution.execute(layer, List.of(in), w32, h, m,
                new FunctionalModel(new AcceleratorArithmetic("acc32", 8, 32, RequantMode.DOUBLE_ROUNDING)));
        assertEquals(0, wide.saturations());
        assertArrayEquals(expected, wide.output());
    }

    /**
     * Partial sums stored at 16 bits (a ZigZag file's partial-sum precision) under a 32-bit accumulator: the same layer
     * is exact when the mapping reduces all of C on the array's adder tree (nothing is stored half-done), and saturates
     * when the mapping spills partial sums to the buffer between steps of C, as that hardware would.
     */
    @Test
    void partialSumsSaturateAtTheirStoredWidthOnlyWhereTheMappingSpillsThem() {
        int c = 8;
        byte[] weights = new byte[c];
        byte[] in = new byte[c];
        java.util.Arrays.fill(weights, (byte) 127);
        java.util.Arrays.fill(in, (byte) 127);
        Workload w = Workload.dense("fc", 1, 1, c, new Workload.Precision(8, 8, 8, 16));
        Conv2d op = Conv2d.prepare(Conv2dSpec.of(1, 1, 1, c, 1, 1, 1), weights, new int[1],
                LayerQuant.of(new QuantParams(1f, 0), ChannelScales.perTensor(1f / 1024, 1), new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING),
                Backend.SCALAR);
        byte[] expected = new byte[1];
        op.run(in, expected);
        Int8Layer.Mac layer = new Int8Layer.Mac("fc", "", op, in, new byte[1]);
        MemoryHierarchy h = MemoryHierarchy.of(oneBuffer());
        FunctionalModel acc32 = new FunctionalModel(new AcceleratorArithmetic("acc32", 8, 32, RequantMode.DOUBLE_ROUNDING));
        Mapping onTheArray = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 8)), List.of(),
                cuts(Map.of(Operand.W, new int[] {0, 0}, Operand.I, new int[] {0, 0}, Operand.O, new int[] {0, 0})));
        MappedExecution.Result exact = MappedExecution.execute(layer, List.of(in), w, h, onTheArray, acc32);
        assertEquals(0, exact.saturations());
        assertArrayEquals(expected, exact.output());
        Mapping spilled = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 2)), List.of(new Loop(LoopDim.C, 4)),
                cuts(Map.of(Operand.W, new int[] {0, 1}, Operand.I, new int[] {0, 1}, Operand.O, new int[] {0, 1})));
        MappedExecution.Result saturated = MappedExecution.execute(layer, List.of(in), w, h, spilled, acc32);
        assertTrue(saturated.saturations() > 0, "2 x 127 x 127 twice = 64,516 does not fit 16 bits");
        assertFalse(java.util.Arrays.equals(expected, saturated.output()));
        assertEquals(new CostModel(h, 0).evaluate(w, spilled).counts(), saturated.counts());
    }

    /**
     * A 12-bit accumulator (4-bit operands, 12-bit partial sums: ZigZag's widths) whose running sum passes 2047 and
     * comes back: saturating, the result is the scalar reference's (a plain loop saturating after every MAC, in the
     * mapping's order); wrapping, it is the exact sum (two's complement is modular), whether the partial sums stay in
     * the PE or spill to the buffer at every step.
     */
    @Test
    void twelveBitPartialSumsSaturateOrWrapAsDeclared() {
        int c = 64;
        byte[] weights = new byte[c];
        byte[] in = new byte[c];
        java.util.Arrays.fill(in, (byte) 7);
        for (int i = 0; i < c; i++) {
            weights[i] = (byte) (i < 48 ? 7 : -7);
        }
        long saturating = 0;
        long exact = 0;
        for (int i = 0; i < c; i++) { // the scalar reference, in the mapping's order (C = 0..63 in one PE)
            saturating = Math.max(-2048, Math.min(2047, saturating + in[i] * weights[i]));
            exact += in[i] * weights[i];
        }
        assertEquals(1263, saturating, "48 x 49 = 2352 saturates at 2047, then 16 x -49");
        assertEquals(1568, exact);
        Workload w12 = Workload.dense("fc", 1, 1, c, new Workload.Precision(4, 4, 8, 12));
        LayerQuant q = LayerQuant.of(new QuantParams(1f, 0), ChannelScales.perTensor(1f / 16, 1), new QuantParams(1f, 0),
                RequantMode.DOUBLE_ROUNDING);
        Conv2d op = Conv2d.prepare(Conv2dSpec.of(1, 1, 1, c, 1, 1, 1), weights, new int[1], q, Backend.SCALAR);
        Int8Layer.Mac layer = new Int8Layer.Mac("fc", "", op, in, new byte[1]);
        MemoryHierarchy h = MemoryHierarchy.of(oneBuffer());
        for (int oCut : new int[] {0, 1}) { // partial sums kept in the PE, or spilled to the buffer after every MAC
            Mapping m = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 1)), List.of(new Loop(LoopDim.C, c)),
                    cuts(Map.of(Operand.W, new int[] {0, 1}, Operand.I, new int[] {0, 1}, Operand.O, new int[] {oCut, 1})));
            MappedExecution.Result sat = MappedExecution.execute(layer, List.of(in), w12, h, m,
                    new FunctionalModel(new AcceleratorArithmetic("sat12", 8, 12, RequantMode.DOUBLE_ROUNDING, false)));
            assertArrayEquals(outputOf(saturating, q), sat.output(), "saturating, O cut " + oCut);
            assertTrue(sat.saturations() > 0);
            MappedExecution.Result wrap = MappedExecution.execute(layer, List.of(in), w12, h, m,
                    new FunctionalModel(new AcceleratorArithmetic("wrap12", 8, 12, RequantMode.DOUBLE_ROUNDING, true)));
            assertArrayEquals(outputOf(exact, q), wrap.output(), "wrapping, O cut " + oCut);
            assertTrue(wrap.saturations() > 0, "the wrapped updates are counted too");
            assertEquals(new CostModel(h, 0).evaluate(w12, m).counts(), wrap.counts());
        }
    }

    /**
     * Random layers and mappings on wrapping 12- and 24-bit accumulators with partial sums stored at that width: every
     * order and split of the reduction gives the exact sums modulo 2^bits, so the mapped execution equals the
     * functional model, whose accumulators equal the scalar kernel's exact sums wrapped (the reference).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void wrappingOddWidthsEqualTheKernelsSumsModuloTheWidth(long seed) {
        Random r = new Random(seed);
        int executed = 0;
        for (int trial = 0; trial < 30; trial++) {
            int bits = trial % 2 == 0 ? 12 : 24;
            AcceleratorSpec spec = SimulatorMatchesModelTest.randomAccelerator(r, 3, r.nextBoolean());
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Case c = randomCase(r, bits);
            if (!(c.layer() instanceof Int8Layer.Mac mac) || c.w().inputBits() > 8) {
                continue;
            }
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, c.w(), h);
            if (!MappingValidator.violations(c.w(), h, m).isEmpty()) {
                continue;
            }
            FunctionalModel model = new FunctionalModel(new AcceleratorArithmetic("wrap", 16, bits,
                    RequantMode.DOUBLE_ROUNDING, true));
            byte[] in = c.inputs().get(0);
            int[] exact = new int[mac.op().spec().outputSize()];
            mac.op().accumulate(in, exact);
            int[] wrapped = new int[exact.length];
            model.accumulate(mac.op(), in, wrapped);
            for (int i = 0; i < exact.length; i++) {
                long mod = 1L << bits;
                assertEquals(Math.floorMod(exact[i] + mod / 2, mod) - mod / 2, wrapped[i], "element " + i);
            }
            byte[] reference = new byte[c.expected().length];
            model.run(mac.op(), in, reference);
            MappedExecution.Result x = MappedExecution.execute(c.layer(), c.inputs(), c.w(), h, m, model);
            String where = "seed " + seed + " trial " + trial + "\n" + c.w() + "\n" + m.render(h);
            assertArrayEquals(reference, x.output(), where);
            executed++;
        }
        assertTrue(executed >= 3, "too few MAC layers executed: " + executed);
    }

    /** The output byte the kernel gives a 1-element dense layer whose sum is {@code acc} (its bias, zero weights). */
    private static byte[] outputOf(long acc, LayerQuant q) {
        byte[] out = new byte[1];
        Conv2d.prepare(Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1), new byte[1], new int[] {(int) acc}, q, Backend.SCALAR)
                .run(new byte[1], out);
        return out;
    }

    /** One PE row of 8 with a per-PE output register (1 partial sum), a buffer and DRAM. */
    private static AcceleratorSpec oneBuffer() {
        var all = java.util.EnumSet.allOf(Operand.class);
        return new AcceleratorSpec("acc", 8, 16, 1e8,
                List.of(new org.edgenn.ir.accel.ArrayAxis("cols", 8, java.util.EnumSet.of(LoopDim.C, LoopDim.K))),
                List.of(new org.edgenn.ir.accel.MemoryLevel("buf", 1 << 16, false, 8, all, 1, 1),
                        new org.edgenn.ir.accel.MemoryLevel("dram", org.edgenn.ir.accel.MemoryLevel.UNBOUNDED, false, 4, all, 80, 90)));
    }

    private static Map<Operand, int[]> cuts(Map<Operand, int[]> c) {
        return new EnumMap<>(c);
    }

    /** A random layer small enough to walk, its inputs and the scalar kernel's output. */
    static Case randomCase(Random r, int accumulatorBits) {
        int kind = r.nextInt(8);
        if (kind <= 3) {
            return conv(r, kind, accumulatorBits);
        }
        if (kind == 4) {
            return pool(r, accumulatorBits);
        }
        return pointwise(r, kind == 7);
    }

    private static Case conv(Random r, int kind, int accumulatorBits) {
        int inBits = r.nextInt(3) == 0 ? 16 : 8, outBits = r.nextInt(3) == 0 ? 16 : 8, wBits = 2 + r.nextInt(7);
        int n = 1 + r.nextInt(2);
        int groups, k, c, fy, fx, sy, sx, dy, dx, oy, ox;
        if (kind == 0) { // dense
            groups = 1; k = 1 + r.nextInt(5); c = 1 + r.nextInt(6); fy = fx = sy = sx = dy = dx = oy = ox = 1;
        } else {
            boolean depthwise = kind == 1;
            groups = depthwise ? 2 + r.nextInt(3) : 1 + r.nextInt(2);
            k = depthwise ? 1 + r.nextInt(2) : 1 + r.nextInt(3);
            c = depthwise ? 1 : 1 + r.nextInt(3);
            fy = 1 + r.nextInt(3); fx = 1 + r.nextInt(3);
            sy = 1 + r.nextInt(3); sx = 1 + r.nextInt(2); dy = 1 + r.nextInt(3); dx = 1 + r.nextInt(2);
            oy = 1 + r.nextInt(4); ox = 1 + r.nextInt(3);
        }
        int pad = r.nextInt(2);
        int h = (oy - 1) * sy + (fy - 1) * dy + 1 - 2 * pad, wd = (ox - 1) * sx + (fx - 1) * dx + 1 - 2 * pad;
        if (h < 1 || wd < 1 || (h + 2 * pad - dy * (fy - 1) - 1) / sy + 1 != oy || (wd + 2 * pad - dx * (fx - 1) - 1) / sx + 1 != ox) {
            pad = 0;
            h = (oy - 1) * sy + (fy - 1) * dy + 1;
            wd = (ox - 1) * sx + (fx - 1) * dx + 1;
        }
        Conv2dSpec spec = new Conv2dSpec(n, h, wd, groups * c, groups * k, fy, fx, sy, sx, pad, pad, pad, pad, dy, dx, groups);
        byte[] weights = new byte[spec.weightSize()];
        int wMax = (1 << (wBits - 1)) - 1;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (r.nextInt(2 * wMax + 2) - wMax - 1);
        }
        int[] bias = new int[spec.k()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = r.nextInt(20001) - 10000;
        }
        float[] scales = new float[spec.k()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = 0.002f + r.nextFloat() * 0.05f;
        }
        QuantParams qin = new QuantParams(0.05f, r.nextInt(21) - 10, inBits);
        QuantParams qout = new QuantParams(outBits == 16 ? 0.002f : 0.5f, r.nextInt(11) - 5, outBits);
        Conv2d op = Conv2d.prepare(spec, weights, bias, LayerQuant.of(qin, ChannelScales.perChannel(scales), qout,
                RequantMode.DOUBLE_ROUNDING), Backend.SCALAR);
        byte[] in = activations(r, spec.inputSize(), inBits);
        byte[] out = new byte[spec.outputSize() * ActivationBytes.bytesPerValue(outBits)];
        op.run(in, out);
        Workload.Precision p = new Workload.Precision(wBits, inBits, outBits, accumulatorBits);
        LayerKind lk = kind == 0 ? LayerKind.DENSE : kind == 1 ? LayerKind.DEPTHWISE : LayerKind.CONV;
        Workload w = Workload.of("mac", lk, new int[] {n, groups, k, c, oy, ox, fy, fx}, sy, sx, dy, dx, pad, pad, p);
        return new Case(w, new Int8Layer.Mac("mac", "", op, in, new byte[out.length]), List.of(in), out);
    }

    private static Case pool(Random r, int accumulatorBits) {
        boolean max = r.nextBoolean();
        int n = 1 + r.nextInt(2), ch = 1 + r.nextInt(3), f = 1 + r.nextInt(3), s = 1 + r.nextInt(2);
        int pad = f > 1 ? r.nextInt(2) : 0;
        int h = f + r.nextInt(4), wd = f + r.nextInt(3);
        Pool2d op = Pool2d.prepare(max ? Pool2d.Kind.MAX : Pool2d.Kind.AVG, n, h, wd, ch, f, f, s, s, pad, pad, pad, pad, Backend.SCALAR);
        byte[] in = activations(r, n * h * wd * ch, 8);
        byte[] out = new byte[op.outputSize()];
        op.run(in, out);
        Workload w = Workload.pool("pool", n, ch, op.outH(), op.outW(), f, f, s, pad, max, 8, accumulatorBits);
        return new Case(w, new Int8Layer.Pool("pool", "", op, in, new byte[out.length]), List.of(in), out);
    }

    private static Case pointwise(Random r, boolean shrink) {
        int bits = r.nextInt(3) == 0 ? 16 : 8;
        int n = 1 + r.nextInt(2), ch = 1 + r.nextInt(5), oy = 1 + r.nextInt(3), ox = 1 + r.nextInt(3);
        int values = n * ch * oy * ox;
        byte[] a = activations(r, values, bits);
        Workload w = Workload.elementwise("pw", n, ch, oy, ox, bits);
        if (shrink) {
            byte[] th = new byte[ch];
            for (int i = 0; i < ch; i++) {
                th[i] = (byte) r.nextInt(60);
            }
            SoftThreshold op = bits == 8 ? SoftThreshold.prepare(th, r.nextInt(11) - 5, Backend.SCALAR)
                    : SoftThreshold.prepare(new float[ch], new QuantParams(0.01f, 0, 16), Backend.SCALAR);
            byte[] out = new byte[a.length];
            op.run(a, out);
            return new Case(w, new Int8Layer.Shrink("pw", "", op, a, new byte[a.length]), List.of(a), out);
        }
        byte[] b = activations(r, values, bits);
        QuantParams qa = new QuantParams(0.02f + r.nextFloat() * 0.1f, r.nextInt(21) - 10, bits);
        QuantParams qb = new QuantParams(0.02f + r.nextFloat() * 0.1f, r.nextInt(21) - 10, bits);
        QuantParams qo = new QuantParams(0.05f + r.nextFloat() * 0.1f, r.nextInt(21) - 10, bits);
        Add op = r.nextBoolean()
                ? Add.prepare(qa, qb, qo, RequantMode.DOUBLE_ROUNDING, QuantParams.min(bits), QuantParams.max(bits), Backend.SCALAR)
                : Add.prepareSub(qa, qb, qo, RequantMode.DOUBLE_ROUNDING, QuantParams.min(bits), QuantParams.max(bits), Backend.SCALAR);
        byte[] out = new byte[a.length];
        op.run(a, b, out);
        return new Case(w, new Int8Layer.Sum("pw", "", op, a, b, new byte[out.length]), List.of(a, b), out);
    }

    private static byte[] activations(Random r, int values, int bits) {
        byte[] b = new byte[values * ActivationBytes.bytesPerValue(bits)];
        for (int i = 0; i < values; i++) {
            ActivationBytes.set(b, i, bits, QuantParams.min(bits) + r.nextInt(1 << Math.min(bits, 12)) * (bits > 12 ? 16 : 1));
        }
        return b;
    }
}
