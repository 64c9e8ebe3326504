package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * {@link Evaluator#objectiveOf} costs each loop order once per unrolling. Reference: the same annealing runs on an
 * evaluator that costs every order it is asked for ({@link Evaluator#forgetful}). Same seeds, so the two runs must
 * walk the same path: the same objective returned by every run, the same best mapping kept, and fewer mappings costed
 * with the memory. Several runs share one evaluator, as the screening's rounds do.
 */
class RememberedOrdersTest {
    private static final Workload.Precision P = Workload.Precision.int8(32);
    private static final List<Workload> LAYERS = List.of(
            Workload.conv("conv", 1, 8, 6, 6, 6, 3, 3, 1, 0, P),
            Workload.conv("strided", 1, 1, 8, 4, 6, 4, 3, 3, 2, 1, 1, 1, 0, 0, P),
            Workload.dense("fc", 2, 24, 18, P));

    @Test
    void rememberedOrdersLeaveTheAnnealingUnchanged() {
        Random r = new Random(16);
        long reusedInAll = 0;
        int compared = 0;
        for (int seed = 0; seed < 8; seed++) {
            AcceleratorSpec a = RandomSmallAccelerator.draw(r, 2, 3);
            CostModel model = new CostModel(MemoryHierarchy.of(a), 0.3).withZigZagRules(seed % 2 == 0);
            Workload w = LAYERS.get(seed % LAYERS.size());
            Objective o = List.of(Objective.ENERGY, Objective.LATENCY, Objective.EDP).get(seed % 3);
            Set<LoopAllocator.Policy> policies = seed % 2 == 0 ? EnumSet.of(LoopAllocator.Policy.MIN_TRAFFIC)
                    : EnumSet.allOf(LoopAllocator.Policy.class);
            Evaluator remembering = new Evaluator(w, model, o, policies);
            Evaluator reference = new Evaluator(w, model, o, policies).forgetful();
            List<SpatialMapping> unrollings = SpatialMappingGenerator.generate(w, model.hierarchy());
            for (int u = 0; u < Math.min(3, unrollings.size()); u++) {
                SpatialMapping s = unrollings.get(u);
                List<Loop> loops = LoopFactorizer.loops(w, s, 8);
                for (int run = 0; run < 3; run++) { // later runs revisit the earlier runs' orders
                    int iterations = 100 << run;
                    double got = new AnnealingSearch(remembering, s, loops, seed * 97L + run)
                            .run(iterations, Long.MAX_VALUE, it -> { });
                    double expected = new AnnealingSearch(reference, s, loops, seed * 97L + run)
                            .run(iterations, Long.MAX_VALUE, it -> { });
                    assertEquals(expected, got, "seed " + seed + ", unrolling " + s + ", run " + run);
                    compared++;
                }
            }
            if (reference.best() == null) {
                assertEquals(null, remembering.best());
                continue;
            }
            assertNotNull(remembering.best());
            assertEquals(0, Candidate.ORDER.compare(reference.best(), remembering.best()), "seed " + seed);
            assertEquals(reference.best().result().mapping().compact(), remembering.best().result().mapping().compact());
            assertTrue(remembering.evaluated() <= reference.evaluated());
            reusedInAll += remembering.reused();
        }
        assertTrue(compared > 20, "too few runs compared: " + compared);
        assertTrue(reusedInAll > 0, "no order was asked for twice: the memory was never used");
    }
}
