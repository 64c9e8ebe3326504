package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network schedule keeps some operands of a layer whole below the backing store ({@link CostModel#withResident}):
 * the loop-nest simulator walking such a layer (its backing-store link idle for those operands) counts what the
 * analytical model counts, on the random layers, accelerators and mappings of {@link SimulatorMatchesModelTest} with a
 * random resident subset; and residency removes exactly the backing-store link: the backing store sees none of the
 * resident operands' traffic, every level other than the one directly below it counts what the plain layer counts.
 */
class ResidentSimulatorMatchesModelTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void countsAreEqual(long seed) {
        Random r = new Random(seed);
        int resident = 0;
        for (int trial = 0; trial < 40; trial++) {
            AcceleratorSpec spec = SimulatorMatchesModelTest.randomAccelerator(r, 3, r.nextBoolean());
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Workload w = SimulatorMatchesModelTest.randomWorkload(r);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, w, h);
            for (int redraw = 0; redraw < 20 && !MappingValidator.violations(w, h, m).isEmpty(); redraw++) {
                m = SimulatorMatchesModelTest.randomMapping(r, w, h);
            }
            if (!MappingValidator.violations(w, h, m).isEmpty()) {
                continue;
            }
            Set<Operand> ops = EnumSet.noneOf(Operand.class);
            for (Operand op : w.operands()) {
                if (h.chainLength(op) >= 2 && r.nextBoolean()) {
                    ops.add(op);
                }
            }
            resident += ops.size();
            Mapping mapping = m;
            CostModel model = new CostModel(h, 0).withResident(ops);
            CostResult cost = model.evaluate(w, mapping);
            AccessCounts sim = LoopNestSimulator.simulate(w, h, mapping, ops);
            assertEquals(sim, cost.counts(), () -> "seed " + seed + " resident " + ops + "\n" + w + "\n" + mapping
                    + "\nsimulated:\n" + sim + "model:\n" + cost.counts());
            AccessCounts plain = LoopNestSimulator.simulate(w, h, mapping);
            int top = h.levelCount() - 1;
            for (Operand op : w.operands()) {
                int below = h.chainLength(op) >= 2 ? h.levelIndex(op, h.chainLength(op) - 2) : -1;
                for (int level = 0; level < h.levelCount(); level++) {
                    for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                        String where = "seed " + seed + " " + op + " level " + level + " " + k;
                        long got = sim.get(level, op, k);
                        if (!ops.contains(op) || (level != top && level != below)) {
                            assertEquals(plain.get(level, op, k), got, where);
                        } else if (level == top) {
                            assertEquals(0, got, where);
                        } else {
                            // the level below keeps what its own child link moves: W/I reads down, O's final writes up
                            assertTrue(got <= plain.get(level, op, k), where);
                            boolean kept = op == Operand.O ? k == AccessCounts.Kind.FINAL_WRITE
                                    : k == AccessCounts.Kind.READ || k == AccessCounts.Kind.FINAL_READ;
                            if (kept) {
                                assertEquals(plain.get(level, op, k), got, where);
                            }
                        }
                    }
                }
                if (ops.contains(op)) {
                    assertEquals(0, cost.counts().readBytes(top, op, w) + cost.counts().writeBytes(top, op, w));
                }
            }
            // the layer's backing-store traffic is the plain layer's less its resident operands'
            double plainDram = new CostModel(h, 0).evaluate(w, mapping).dramReadBytes();
            double residentDram = 0;
            for (Operand op : ops) {
                residentDram += plain.readBytes(top, op, w);
            }
            assertEquals(plainDram - residentDram, cost.dramReadBytes(), 1e-6 * Math.max(1, plainDram));
        }
        assertTrue(resident >= 20, "too few resident operands drawn: " + resident);
    }

    @ParameterizedTest
    @ValueSource(longs = {1})
    void anOperandWithoutALevelBelowTheBackingStoreCannotBeResident(long seed) {
        AcceleratorSpec spec = new AcceleratorSpec("OnlyDram", 8, 32, 1e9,
                java.util.List.of(Accels.axis("a", 2, org.edgenn.ir.accel.LoopDim.K)),
                java.util.List.of(Accels.perPe("rf", 64, 0.1, 0.1, Operand.W, Operand.O), Accels.dram(8, 100)));
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        assertThrows(IllegalArgumentException.class, () -> new CostModel(h, 0).withResident(EnumSet.of(Operand.I)));
    }
}
