package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.accel.SparseSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sparse weights on sparse hardware (Sparseloop's gating, skipping and compressed formats): the cost model's weight
 * bytes at every memory level equal what the loop-nest simulator counts when it walks the mapping with actual N:M
 * weights and stores every tile in the declared format; MAC energy and cycles follow gating/skipping; hardware without
 * sparse support is charged the dense cost.
 */
class SparseCostModelTest {
    private static final SparseSupport NM24 = new SparseSupport(SparseSupport.Compute.SKIP, SparseSupport.Format.NM, 0, 2, 4);
    private static final SparseSupport BITMASK = new SparseSupport(SparseSupport.Compute.SKIP, SparseSupport.Format.BITMASK, 0, 0, 0);
    private static final SparseSupport OFFSETS = new SparseSupport(SparseSupport.Compute.SKIP, SparseSupport.Format.OFFSETS, 5, 0, 0);
    private static final SparseSupport GATE = new SparseSupport(SparseSupport.Compute.GATE, SparseSupport.Format.DENSE, 0, 0, 0);

    /** A conv or dense layer with input channels a multiple of 4 (2:4 groups run along C). */
    private static Workload layer(Random r) {
        Workload.Precision p = Workload.Precision.int8(32);
        int c = 4 * (1 + r.nextInt(2));
        return r.nextBoolean() ? Workload.dense("fc", 1, 1 + r.nextInt(4), c, p)
                : Workload.conv("conv", 1, 1, 1 + r.nextInt(3), c, 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3),
                1 + r.nextInt(2), 1, 1, 1, 1, 0, 0, p);
    }

    /** 2:4 along C: in every group of 4 input channels of each (g, k, fy, fx), 2 positions drawn at random are kept. */
    private static boolean[][][][][] twoOfFour(Workload w, Random r) {
        boolean[][][][][] nz = new boolean[w.bound(LoopDim.G)][w.bound(LoopDim.K)][w.bound(LoopDim.C)][w.bound(LoopDim.FY)][w.bound(LoopDim.FX)];
        for (int g = 0; g < nz.length; g++) {
            for (int k = 0; k < nz[g].length; k++) {
                for (int fy = 0; fy < w.bound(LoopDim.FY); fy++) {
                    for (int fx = 0; fx < w.bound(LoopDim.FX); fx++) {
                        for (int c0 = 0; c0 < w.bound(LoopDim.C); c0 += 4) {
                            int a = r.nextInt(4);
                            int b = (a + 1 + r.nextInt(3)) % 4;
                            nz[g][k][c0 + a][fy][fx] = true;
                            nz[g][k][c0 + b][fy][fx] = true;
                        }
                    }
                }
            }
        }
        return nz;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void compressedWeightBytesEqualTheSimulatorsOnActualTwoOfFourWeights(long seed) {
        Random r = new Random(seed);
        int checked = 0;
        for (int trial = 0; trial < 60; trial++) {
            SparseSupport format = List.of(NM24, BITMASK, OFFSETS).get(r.nextInt(3));
            AcceleratorSpec spec = SimulatorMatchesModelTest.randomAccelerator(r).withSparse(format);
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Workload dense = layer(r);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, dense, h);
            if (!MappingValidator.violations(dense, h, m).isEmpty()) {
                continue;
            }
            Workload w = dense.withWeightSparsity(0.5, format.storedBitsPerWeight(8, 0.5));
            CostResult c = new CostModel(h, 1).evaluate(w, m);
            if (c.paddedMacs() != c.macs()) {
                continue; // padded iterations move positions that hold no weight: the density is not the tiles'
            }
            boolean[][][][][] nz = twoOfFour(w, r);
            double[] simulated = LoopNestSimulator.weightReadBits(w, h, m, (g, k, ch, fy, fx) -> nz[g][k][ch][fy][fx], format);
            for (int l = 0; l < h.levelCount(); l++) {
                double model = c.counts().readBytes(l, Operand.W, w) * 8;
                assertEquals(simulated[l], model, 1e-6, "seed " + seed + " level " + l + " " + format.spelling() + "\n" + w + "\n" + m);
            }
            checked++;
        }
        assertTrue(checked >= 10, "too few unpadded mappings: " + checked);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void gatingSavesMacEnergySkippingAlsoCyclesDenseHardwareNothing(long seed) {
        Random r = new Random(seed);
        for (int trial = 0; trial < 30; trial++) {
            AcceleratorSpec base = SimulatorMatchesModelTest.randomAccelerator(r);
            Workload dense = layer(r);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, dense, MemoryHierarchy.of(base));
            if (!MappingValidator.violations(dense, MemoryHierarchy.of(base), m).isEmpty()) {
                continue;
            }
            CostResult denseCost = new CostModel(MemoryHierarchy.of(base), 1).evaluate(dense, m);
            Workload half = dense.withWeightSparsity(0.5, 8);
            // no sparse support: a pruned layer costs exactly what the dense one does
            CostResult none = new CostModel(MemoryHierarchy.of(base), 1).evaluate(half, m);
            assertEquals(denseCost.energyPj(), none.energyPj(), 1e-9);
            assertEquals(denseCost.latencyCycles(), none.latencyCycles(), 1e-9);
            assertEquals(denseCost.macs(), none.effectiveMacs());
            // gating: half the MAC energy, every cycle
            CostResult gated = new CostModel(MemoryHierarchy.of(base.withSparse(GATE)), 1).evaluate(half, m);
            assertEquals(denseCost.macEnergyPj() / 2, gated.macEnergyPj(), 1e-9);
            assertEquals(denseCost.computeCycles(), gated.computeCycles());
            assertEquals(denseCost.macs() / 2, gated.effectiveMacs());
            // skipping (2:4 unit): half the MAC energy and half the compute cycles (rounded up)
            Workload nm = dense.withWeightSparsity(0.5, NM24.storedBitsPerWeight(8, 0.5));
            CostResult skipped = new CostModel(MemoryHierarchy.of(base.withSparse(NM24)), 1).evaluate(nm, m);
            assertEquals(denseCost.macEnergyPj() / 2, skipped.macEnergyPj(), 1e-9);
            assertEquals((denseCost.computeCycles() + 1) / 2, skipped.computeCycles());
            assertTrue(skipped.latencyCycles() <= denseCost.latencyCycles() + 1e-9);
            // an N:M unit runs only its own pattern: 75 % sparse weights run dense on a 2:4 unit
            Workload quarter = dense.withWeightSparsity(0.25, 8);
            CostResult other = new CostModel(MemoryHierarchy.of(base.withSparse(NM24)), 1).evaluate(quarter, m);
            assertEquals(denseCost.energyPj(), other.energyPj(), 1e-9);
        }
    }
}
