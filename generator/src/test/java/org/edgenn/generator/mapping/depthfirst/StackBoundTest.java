package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
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
        int[] count = new int[1];
        double[] tightestSeen = new double[1];
        RandomStacks.forEachCosted(new Random(seed), 3, k -> {
            FusedStack f = k.full();
            StackCost.TileBound bound = k.bound();
            String where = k.where(seed);
            for (FusedStack.Layer l : f.perLayer()) {
                for (FusedStack.TileMapping m : l.mappings()) {
                    double[] b = bound.bound(m.workload(), l.resident());
                    assertTrue(b[0] <= m.cost().energyPj() * (1 + 1e-12), where + " " + m.workload() + ": energy bound "
                            + b[0] + " > " + m.cost().energyPj());
                    assertTrue(b[1] <= m.cost().latencyCycles() * (1 + 1e-12), where + " " + m.workload()
                            + ": latency bound " + b[1] + " > " + m.cost().latencyCycles());
                }
            }
            double[] least = k.layout().bound(k.layout().nestBounds(bound));
            assertTrue(least[0] <= f.energyPj() * (1 + 1e-12), where + ": energy " + least[0] + " > " + f.energyPj());
            assertTrue(least[1] <= f.latencyCycles() * (1 + 1e-12), where + ": latency " + least[1] + " > "
                    + f.latencyCycles());
            tightestSeen[0] = Math.max(tightestSeen[0], least[0] / f.energyPj());
            count[0]++;
            // a cutoff at the configuration's own cost stops nothing that costs that much: the same result
            double limit = f.energyPj() * (1 + 1e-9);
            FusedStack cut = StackCost.evaluate(k.layout(), k.search(), bound, (e, l) -> e > limit,
                    new NetworkSchedule.Totals(0, 0, 0, 0), 0);
            assertTrue(cut != null && cut.energyPj() == f.energyPj() && cut.latencyCycles() == f.latencyCycles(),
                    where + ": stopped at its own cost " + f.energyPj() + ": " + (cut == null ? "null" : cut.energyPj()));
        });
        int checked = count[0];
        double tightest = tightestSeen[0];
        assertTrue(checked >= 20, "too few configurations: " + checked);
        assertTrue(tightest > 0.5, "the bound is never close: " + tightest); // a bound of zero would pass the rest
    }
}
