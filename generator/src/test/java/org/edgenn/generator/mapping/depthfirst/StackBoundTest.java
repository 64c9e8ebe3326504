package org.edgenn.generator.mapping.depthfirst;

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
 * The bound the planner prunes with, against the costs it bounds: on random chains and accelerators, for every
 * configuration of every stack, each tile nest's bound ({@link DepthFirst#tileBound}) is at most the energy and the
 * latency of the mapping the search found for it (on the capacity the stack left), and the configuration's bound
 * ({@link StackLayout#bound}) at most the stack's cost. A bound above a cost would let the planner skip a configuration
 * that could win.
 */
class StackBoundTest {

    @ParameterizedTest
    @ValueSource(longs = {21, 22})
    void boundsAreBelowTheCosts(long seed) {
        Random r = new Random(seed);
        int checked = 0;
        double tightest = 0;
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
                    FusedStack f = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    if (layout == null || f == null) {
                        continue;
                    }
                    String where = "seed " + seed + " trial " + trial + " " + s.first() + ".." + s.last() + " " + c;
                    for (FusedStack.Layer l : f.perLayer()) {
                        for (FusedStack.TileMapping m : l.mappings()) {
                            double[] b = bound.bound(m.workload(), l.resident());
                            assertTrue(b[0] <= m.cost().energyPj() * (1 + 1e-12), where + " " + m.workload() + ": energy bound "
                                    + b[0] + " > " + m.cost().energyPj());
                            assertTrue(b[1] <= m.cost().latencyCycles() * (1 + 1e-12), where + " " + m.workload()
                                    + ": latency bound " + b[1] + " > " + m.cost().latencyCycles());
                        }
                    }
                    double[] least = layout.bound(layout.nestBounds(bound));
                    assertTrue(least[0] <= f.energyPj() * (1 + 1e-12), where + ": energy " + least[0] + " > " + f.energyPj());
                    assertTrue(least[1] <= f.latencyCycles() * (1 + 1e-12), where + ": latency " + least[1] + " > "
                            + f.latencyCycles());
                    tightest = Math.max(tightest, least[0] / f.energyPj());
                    checked++;
                    // a cutoff at the configuration's own cost stops nothing that costs that much: the same result
                    double limit = f.energyPj() * (1 + 1e-9);
                    FusedStack cut = StackCost.evaluate(layout, search, bound, (e, l) -> e > limit,
                            new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    assertTrue(cut != null && cut.energyPj() == f.energyPj() && cut.latencyCycles() == f.latencyCycles(),
                            where + ": stopped at its own cost " + f.energyPj() + ": " + (cut == null ? "null" : cut.energyPj()));
                }
            }
        }
        assertTrue(checked >= 20, "too few configurations: " + checked);
        assertTrue(tightest > 0.5, "the bound is never close: " + tightest); // a bound of zero would pass the rest
    }
}
