package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner's "cannot gain" cutoff ({@link DepthFirst#cannotGain}) against costing in full: on random chains and
 * accelerators, for every configuration of every stack and for passes unfused costing 1 % less, exactly as much and
 * 0.5 % more than the stack in energy and in latency, a costing stopped by the cutoff is exactly one that, costed in
 * full, would not gain on its passes unfused ({@link DepthFirst#gains}: it would be dropped), and one it does not stop
 * costs what the full costing gives. A cutoff stopping a configuration that gains would let the plan miss a better
 * network (one with a 2 % margin fails this test).
 */
class CannotGainCutoffTest {
    private static final double[] SCALES = {0.99, 1.0, 1.005};

    @ParameterizedTest
    @ValueSource(longs = {41})
    void stopsExactlyTheConfigurationsThatCannotGain(long seed) {
        Random r = new Random(seed);
        int stopped = 0;
        int kept = 0;
        for (int trial = 0; trial < 3; trial++) {
            AcceleratorSpec a = RandomStacks.accelerator(r, trial);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            WorkloadGraph g = RandomStacks.chain(r, 2 + r.nextInt(3));
            List<Fusion.Group> groups = Fusion.groups(g, true);
            StackCost.Context ctx = new StackCost.Context(a, g, CostModel.DEFAULT_MAC_PJ, Map.of(), List.of(),
                    StackSearches.none(groups.size()));
            StackCost.TileSearch search = StackSearches.search(a);
            StackCost.TileBound bound = DepthFirst.tileBound(a, CostModel.DEFAULT_MAC_PJ, false);
            for (StackShape s : StackShape.candidates(groups, g, h, DepthFirst.MAX_DEPTH)) {
                for (StackCost.Config c : DepthFirst.configs(s)) {
                    StackLayout layout = StackLayout.of(s, c, ctx);
                    FusedStack full = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    if (layout == null || full == null) {
                        continue;
                    }
                    for (double se : SCALES) {
                        for (double sl : SCALES) {
                            NetworkSchedule.Totals unfused = new NetworkSchedule.Totals(full.energyPj() * se,
                                    full.latencyCycles() * sl, 0, s.size());
                            FusedStack cut = StackCost.evaluate(layout, search, bound, DepthFirst.cannotGain(unfused),
                                    unfused, 0);
                            String where = "seed " + seed + " trial " + trial + " " + s.first() + ".." + s.last() + " "
                                    + c + " unfused x" + se + " / x" + sl;
                            assertEquals(DepthFirst.gains(full, unfused), cut != null, where);
                            if (cut == null) {
                                stopped++;
                            } else {
                                kept++;
                                assertEquals(full.energyPj(), cut.energyPj(), where);
                                assertEquals(full.latencyCycles(), cut.latencyCycles(), where);
                            }
                        }
                    }
                }
            }
        }
        // both outcomes occur (at most 1 on both sides cannot gain; above 1 on either side gains)
        assertTrue(stopped >= 20 && kept >= 20, "stopped " + stopped + ", kept " + kept);
    }
}
