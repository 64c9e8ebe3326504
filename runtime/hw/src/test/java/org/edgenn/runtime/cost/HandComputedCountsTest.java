package org.edgenn.runtime.cost;

import static org.edgenn.runtime.cost.Accels.axis;
import static org.edgenn.runtime.cost.Accels.dram;
import static org.edgenn.runtime.cost.Accels.loops;
import static org.edgenn.runtime.cost.Accels.perPe;
import static org.edgenn.runtime.cost.AccessCounts.Kind.FINAL_READ;
import static org.edgenn.runtime.cost.AccessCounts.Kind.FINAL_WRITE;
import static org.edgenn.runtime.cost.AccessCounts.Kind.READ;
import static org.edgenn.runtime.cost.AccessCounts.Kind.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.api.Test;

/** Access counts of tiny layers worked out by hand (the derivations are in the comments). */
class HandComputedCountsTest {
    private static final Workload.Precision P = Workload.Precision.int8(32);

    /*
     * Dense K=2, C=3 on 2 PEs unrolling K. Levels: 0 = rf (per PE, W and O), 1 = dram.
     * Temporal: for c in 0..3. W cuts [1, 1]: each PE's rf holds its 3 weights. O cuts [1, 1]: one psum per PE.
     *  W, MAC <- rf: 3 iterations x 2 PEs x 1 weight             -> rf  READ 6
     *  W, rf <- dram: loaded once; per PE 3 (2 PEs: 6 writes); dram sends K2*C3 = 6 -> rf WRITE 6, dram READ 6
     *  I, MAC <- dram: 3 iterations, both PEs need the same input (K irrelevant): broadcast 1 -> dram READ 3
     *  O, MAC <- rf: 3 periods (every iteration), 1 distinct output per PE (C irrelevant):
     *     2 partial periods x 2 PEs -> rf WRITE 4 and READ 4 (read-back), last period final -> rf FINAL_WRITE 2
     *  O, rf <- dram: 1 period, final: rf FINAL_READ 2, dram FINAL_WRITE 2 (the 2 outputs)
     */
    @Test
    void denseOnTwoPes() {
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 32, 1e8, List.of(axis("a", 2, LoopDim.K)),
                List.of(perPe("rf", 64, 1, 2, Operand.W, Operand.O), dram(4, 100)));
        Workload w = Workload.dense("fc", 1, 2, 3, P);
        Mapping m = new Mapping(SpatialMapping.of(new Loop(LoopDim.K, 2)), loops(LoopDim.C, 3),
                Map.of(Operand.W, new int[] {1, 1}, Operand.I, new int[] {1}, Operand.O, new int[] {1, 1}));
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        AccessCounts c = new CostModel(h, 0).evaluate(w, m).counts();
        assertEquals(6, c.get(0, Operand.W, READ));
        assertEquals(6, c.get(0, Operand.W, WRITE));
        assertEquals(6, c.get(1, Operand.W, READ));
        assertEquals(3, c.get(1, Operand.I, READ));
        assertEquals(4, c.get(0, Operand.O, WRITE));
        assertEquals(4, c.get(0, Operand.O, READ));
        assertEquals(2, c.get(0, Operand.O, FINAL_WRITE));
        assertEquals(2, c.get(0, Operand.O, FINAL_READ));
        assertEquals(2, c.get(1, Operand.O, FINAL_WRITE));
        assertEquals(0, c.get(1, Operand.O, WRITE));
        assertEquals(c, LoopNestSimulator.simulate(w, h, m));
        /* energy: rf reads W 6 B + O 4*4 B + 2 B = 24 B at 1 pJ; rf writes W 6 B + O 16 B + 2 B = 24 B at 2 pJ;
           dram reads W 6 + I 3 = 9 B, writes 2 B, at 100 pJ -> 24 + 48 + 1100 = 1172 pJ */
        assertEquals(1172.0, new CostModel(h, 0).evaluate(w, m).energyPj(), 1e-9);
    }

    /*
     * 1-D convolution OY=3, FY=2, stride 1 (4 input rows), one PE. Levels: 0 = rfI (per PE, I), 1 = dram.
     * Temporal: for fy in 0..2 (inner) / for oy in 0..3 (outer).
     *  cut I [1, 2]: rfI holds the 2 rows of one output position; refilled for each oy: 3 fills x 2 = 6
     *  cut I [2, 2]: rfI holds the whole window: rows 0..3 = 4 (halo reuse), loaded once
     *  MAC <- rfI: 6 iterations -> rfI READ 6 in both cases.
     *  W stays in dram: 6 reads. O in dram: 6 periods, 3 distinct outputs -> 3 partial writes, 3 read-backs,
     *  3 final writes.
     */
    @Test
    void slidingWindowHalo() {
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 32, 1e8, List.of(axis("a", 1, LoopDim.K)),
                List.of(perPe("rfI", 64, 1, 1, Operand.I), dram(4, 100)));
        Workload w = Workload.conv("c1d", 1, 1, 1, 3, 1, 2, 1, 1, 0, P);
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        for (int[] cutAndDram : new int[][] {{1, 6}, {2, 4}}) {
            Mapping m = new Mapping(new SpatialMapping(List.of(List.of())), loops(LoopDim.FY, 2, LoopDim.OY, 3),
                    Map.of(Operand.W, new int[] {2}, Operand.I, new int[] {cutAndDram[0], 2},
                            Operand.O, new int[] {2}));
            AccessCounts c = new CostModel(h, 0).evaluate(w, m).counts();
            assertEquals(cutAndDram[1], c.get(1, Operand.I, READ), "dram input reads, cut " + cutAndDram[0]);
            assertEquals(cutAndDram[1], c.get(0, Operand.I, WRITE));
            assertEquals(6, c.get(0, Operand.I, READ));
            assertEquals(6, c.get(1, Operand.W, READ));
            assertEquals(3, c.get(1, Operand.O, WRITE));
            assertEquals(3, c.get(1, Operand.O, READ));
            assertEquals(3, c.get(1, Operand.O, FINAL_WRITE));
            assertEquals(c, LoopNestSimulator.simulate(w, h, m));
        }
    }

    /* Sum-set size against enumeration for all small step/count combinations. */
    @Test
    void sumSetFormulaMatchesEnumeration() {
        for (int a = 1; a <= 6; a++) {
            for (int b = 1; b <= 6; b++) {
                for (int sa = 1; sa <= 6; sa++) {
                    for (int sb = 1; sb <= 6; sb++) {
                        java.util.Set<Integer> s = new java.util.HashSet<>();
                        for (int x = 0; x < a; x++) {
                            for (int y = 0; y < b; y++) {
                                s.add(x * sa + y * sb);
                            }
                        }
                        assertEquals(s.size(), Tiles.sumSetSize(a, sa, b, sb), a + " " + sa + " " + b + " " + sb);
                    }
                }
            }
        }
    }
}
