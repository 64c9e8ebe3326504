package org.edgenn.runtime.cost;

import static org.edgenn.runtime.cost.Accels.axis;
import static org.edgenn.runtime.cost.Accels.dram;
import static org.edgenn.runtime.cost.Accels.loops;
import static org.edgenn.runtime.cost.Accels.perPe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.api.Test;

/** Every rule is reported, all at once, with a typed exception. */
class ValidationTest {
    @Test
    void workloadCollectsEveryViolation() {
        int[] bounds = {1, 1, 0, 3, 1, 1, 2, 1}; // K = 0; dense with FY = 2
        InvalidWorkloadException e = assertThrows(InvalidWorkloadException.class, () -> Workload.of("fc",
                LayerKind.DENSE, bounds, 0, 1, 1, 1, -1, 0, new Workload.Precision(8, 8, 8, 32)));
        assertEquals(4, e.violations().size(), e.getMessage()); // K bound, stride, padding, FY on dense
    }

    @Test
    void layersWithoutWeightsMustNotDeclareThem() {
        assertThrows(InvalidWorkloadException.class, () -> Workload.of("p", LayerKind.POOL,
                new int[] {1, 4, 1, 1, 2, 2, 2, 2}, 2, 2, 1, 1, 0, 0, Workload.Precision.int8(32)));
    }

    @Test
    void mappingCollectsEveryViolation() {
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 32, 1e8, List.of(axis("a", 4, LoopDim.K)),
                List.of(perPe("rf", 2, 1, 1, Operand.W), dram(4, 100)));
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        Workload w = Workload.dense("fc", 1, 8, 6, Workload.Precision.int8(32));
        Mapping bad = new Mapping(SpatialMapping.of(new Loop(LoopDim.C, 8)), // C not allowed, 8 > 4 PEs, 8 > C
                loops(LoopDim.K, 4, LoopDim.C, 1),                            // K needs 8, C loop of 1
                Map.of(Operand.W, new int[] {2, 1}, Operand.I, new int[] {2})); // W cuts decrease, no O cuts
        List<String> v = MappingValidator.violations(w, h, bad);
        assertEquals(8, v.size(), String.join("\n", v));
        InvalidMappingException e = assertThrows(InvalidMappingException.class, () -> new CostModel(spec).evaluate(w, bad));
        assertEquals(v, e.violations());
    }

    @Test
    void capacityIsCheckedPerInstance() {
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 32, 1e8, List.of(axis("a", 2, LoopDim.K)),
                List.of(perPe("rf", 2, 1, 1, Operand.W), dram(4, 100)));
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        Workload w = Workload.dense("fc", 1, 2, 3, Workload.Precision.int8(32));
        Mapping m = new Mapping(SpatialMapping.of(new Loop(LoopDim.K, 2)), loops(LoopDim.C, 3),
                Map.of(Operand.W, new int[] {1, 1}, Operand.I, new int[] {1}, Operand.O, new int[] {1}));
        List<String> v = MappingValidator.violations(w, h, m);
        assertEquals(1, v.size());
        assertTrue(v.get(0).contains("3 B in rf (capacity 2 B per PE)"), v.get(0));
    }
}
