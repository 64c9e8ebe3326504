package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.mapping.search.LayerSearch;
import org.edgenn.generator.mapping.search.NestBound;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tile-nest bound ({@link NestBound}: {@code LowerBound}'s terms plus the on-chip traffic no loop order avoids)
 * against brute force: for random tile nests of random chains on random accelerators, with every subset of resident
 * operands, the least energy and the least latency over every spatial unrolling and every loop order (the exhaustive
 * search with energy, then latency, as its objective) are at least the bound. A bound above them would let the
 * depth-first planner skip a configuration that could win; the bound must also come close (it prunes only then).
 */
class NestBoundTest {

    @ParameterizedTest
    @ValueSource(longs = {31, 32})
    void boundIsBelowEveryMapping(long seed) {
        Random r = new Random(seed);
        SearchOptions exhaustive = SearchOptions.quick().withStrategy(SearchOptions.Strategy.EXHAUSTIVE)
                .withSpatialCandidates(0).withLoopLimit(4).withThreads(1);
        int checked = 0;
        double tightest = 0;
        for (int trial = 0; trial < 4; trial++) {
            AcceleratorSpec a = RandomStacks.accelerator(r, trial);
            WorkloadGraph g = RandomStacks.chain(r, 2);
            for (WorkloadGraph.Layer layer : g.layers()) {
                Workload whole = layer.workload();
                if (!whole.kind().hasWeights()) {
                    continue;
                }
                int rows = 1 + r.nextInt(whole.bound(LoopDim.OY));
                Workload w = StackCost.tile(whole, rows, whole.bound(LoopDim.OX));
                for (Set<Operand> resident : subsets(w)) {
                    CostModel model = new CostModel(MemoryHierarchy.of(a), CostModel.DEFAULT_MAC_PJ).withResident(resident);
                    double[] bound = NestBound.of(w, model);
                    LayerMapping energy;
                    LayerMapping latency;
                    try {
                        energy = LayerSearch.search(w, model, Objective.ENERGY, exhaustive, ProgressListener.NONE, 0, 1);
                        latency = LayerSearch.search(w, model, Objective.LATENCY, exhaustive, ProgressListener.NONE, 0, 1);
                    } catch (NoValidMappingException e) {
                        continue;
                    }
                    String where = "seed " + seed + " trial " + trial + " " + w.shapeKey() + " resident " + resident;
                    assertTrue(bound[0] <= energy.cost().energyPj() * (1 + 1e-12),
                            where + ": energy bound " + bound[0] + " > least energy " + energy.cost().energyPj());
                    assertTrue(bound[1] <= latency.cost().latencyCycles() * (1 + 1e-12),
                            where + ": latency bound " + bound[1] + " > least latency " + latency.cost().latencyCycles());
                    tightest = Math.max(tightest, bound[0] / energy.cost().energyPj());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 12, "too few nests: " + checked);
        assertTrue(tightest > 0.8, "the bound is never close: " + tightest);
    }

    /** Every subset of the nest's operands. */
    private static List<Set<Operand>> subsets(Workload w) {
        List<Operand> ops = List.copyOf(w.operands());
        List<Set<Operand>> out = new java.util.ArrayList<>();
        for (int mask = 0; mask < 1 << ops.size(); mask++) {
            Set<Operand> s = EnumSet.noneOf(Operand.class);
            for (int i = 0; i < ops.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    s.add(ops.get(i));
                }
            }
            out.add(s);
        }
        return out;
    }
}
