package org.edgenn.runtime.cost;

import static org.edgenn.runtime.cost.Accels.axis;
import static org.edgenn.runtime.cost.Accels.dram;
import static org.edgenn.runtime.cost.Accels.loops;
import static org.edgenn.runtime.cost.Accels.perPe;
import static org.edgenn.runtime.cost.Accels.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.api.Test;

class MappingRenderTest {
    @Test
    void loopNestIsOutermostFirstWithOneMarkerPerCut() {
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 32, 1e8,
                List.of(axis("rows", 4, LoopDim.C), axis("cols", 4, LoopDim.K)),
                List.of(perPe("rf", 64, 1, 1, Operand.W), shared("gbuf", 1 << 16, 64, 1, 1, Operand.W, Operand.I,
                        Operand.O), dram(4, 100)));
        Mapping m = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 4), new Loop(LoopDim.K, 4)),
                loops(LoopDim.C, 4, LoopDim.K, 2, LoopDim.K, 2),
                Map.of(Operand.W, new int[] {1, 2, 3}, Operand.I, new int[] {2, 3}, Operand.O, new int[] {2, 3}));
        assertEquals("""
                -- dram: W I O
                for k2 in 0..2
                -- gbuf: W I O
                for k1 in 0..2
                -- rf: W
                for c1 in 0..4
                spatial rows:c0[4] x cols:k0[4]""", m.render(MemoryHierarchy.of(spec)));
    }
}
