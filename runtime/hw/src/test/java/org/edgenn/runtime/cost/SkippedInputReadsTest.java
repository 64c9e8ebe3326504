package org.edgenn.runtime.cost;

import static org.edgenn.runtime.cost.Accels.axis;
import static org.edgenn.runtime.cost.Accels.dram;
import static org.edgenn.runtime.cost.Accels.loops;
import static org.edgenn.runtime.cost.Accels.perPe;
import static org.edgenn.runtime.cost.AccessCounts.Kind.READ;
import static org.edgenn.runtime.cost.AccessCounts.Kind.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.accel.SparseSupport;
import org.junit.jupiter.api.Test;

/**
 * Zero-skipping hardware skips the input reads of zero weights (Sparseloop's skipped follower reads), worked out by
 * hand on a tiny dense layer; gating hardware with the same storage reads every input.
 */
class SkippedInputReadsTest {
    private static final Workload.Precision P = Workload.Precision.int8(32);
    private static final SparseSupport SKIP_NM = new SparseSupport(SparseSupport.Compute.SKIP, SparseSupport.Format.NM, 0, 2, 4);
    private static final SparseSupport GATE_NM = new SparseSupport(SparseSupport.Compute.GATE, SparseSupport.Format.NM, 0, 2, 4);

    /*
     * Dense K=2, C=4, weights 2:4 (density 1/2), one PE. Levels: 0 = rfI (per PE, I only; read 1 pJ/B, write 2 pJ/B),
     * 1 = dram (100 pJ/B). Temporal: for c in 0..4 (inner), for k in 0..2 (outer). I cut [2, 2]: rfI holds the 4
     * inputs, loaded once (rfI WRITE 4, dram I READ 4).
     *  MAC <- rfI: 8 iterations read one input each -> rfI READ 8 words (counts are dense words)
     *  dense hardware and gating: 8 B read at rfI; skipping: only the 4 MACs with a non-zero weight read -> 4 B,
     *  4 pJ less energy than gating with the same 2:4 storage (MAC energy and weight bytes are equal for the two).
     */
    @Test
    void skippingReadsInputsForNonZeroWeightsOnly() {
        AcceleratorSpec base = new AcceleratorSpec("t", 8, 32, 1e8, List.of(axis("a", 1, LoopDim.K)),
                List.of(perPe("rfI", 64, 1, 2, Operand.I), dram(4, 100)));
        Workload dense = Workload.dense("fc", 1, 2, 4, P);
        Workload pruned = dense.withWeightSparsity(0.5, SKIP_NM.storedBitsPerWeight(8, 0.5));
        Mapping m = new Mapping(new SpatialMapping(List.of(List.of())), loops(LoopDim.C, 4, LoopDim.K, 2),
                Map.of(Operand.W, new int[] {2}, Operand.I, new int[] {2, 2}, Operand.O, new int[] {2}));

        MemoryHierarchy skipping = MemoryHierarchy.of(base.withSparse(SKIP_NM));
        CostResult skip = new CostModel(skipping, 1).evaluate(pruned, m);
        assertEquals(8, skip.counts().get(0, Operand.I, READ), "dense words moved");
        assertEquals(4, skip.counts().get(0, Operand.I, WRITE));
        assertEquals(4.0, skip.counts().readBytes(0, Operand.I, pruned), 0.0, "half the MACs read their input");
        assertEquals(4, skip.counts().get(1, Operand.I, READ), "the tile above the MACs is moved whole");
        assertEquals(4.0, skip.counts().readBytes(1, Operand.I, pruned), 0.0);
        // the loop-nest simulator counts the same words and marks the same skipping
        AccessCounts simulated = LoopNestSimulator.simulate(pruned, skipping, m);
        assertEquals(skip.counts(), simulated);
        assertEquals(4.0, simulated.readBytes(0, Operand.I, pruned), 0.0);

        CostResult gate = new CostModel(MemoryHierarchy.of(base.withSparse(GATE_NM)), 1).evaluate(pruned, m);
        assertEquals(8.0, gate.counts().readBytes(0, Operand.I, pruned), 0.0);
        assertEquals(gate.macEnergyPj(), skip.macEnergyPj(), 1e-12);
        assertEquals(4.0, gate.energyPj() - skip.energyPj(), 1e-9, "4 B less at 1 pJ/B");

        CostResult none = new CostModel(MemoryHierarchy.of(base), 1).evaluate(pruned, m);
        assertEquals(8.0, none.counts().readBytes(0, Operand.I, pruned), 0.0, "dense hardware reads every input");
    }
}
