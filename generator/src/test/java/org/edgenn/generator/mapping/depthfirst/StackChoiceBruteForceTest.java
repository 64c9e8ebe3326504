package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stacks and tiles {@link DepthFirst#plan} chooses against brute force: on random chains (3 or 4 spatial layers)
 * and accelerators, every combination of non-overlapping evaluated stacks (each interval at most once, under any of its
 * tile sizes, modes and weight placements, every configuration costed in full) is costed on the network totals; the
 * chosen one reaches the minimum for energy, latency and EDP, and is never worse than running every pass unfused. The
 * planner's branch and bound (configurations skipped or stopped when their bound cannot beat the best network found)
 * runs with the tile nests bounded by their MACs alone and by the layer search's bound ({@link DepthFirst#tileBound}):
 * a bound above a cost, or a wrong bound of the rest of the network, would make it miss the minimum.
 */
class StackChoiceBruteForceTest {

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void chosenStacksAreTheBestCombination(long seed) {
        Random r = new Random(seed);
        int withStacks = 0;
        int combinations = 0;
        for (int trial = 0; trial < 3; trial++) {
            AcceleratorSpec a = RandomStacks.accelerator(r, trial);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            WorkloadGraph g = RandomStacks.chain(r, 3 + r.nextInt(2));
            List<Fusion.Group> groups = Fusion.groups(g, true);
            StackCost.TileSearch search = StackSearches.search(a);
            // the passes unfused: each group's whole nest mapped with nothing resident
            int n = groups.size();
            double[] energy = new double[n];
            double[] latency = new double[n];
            double[] dram = new double[n];
            long[] macs = new long[n];
            boolean mapped = true;
            for (int i = 0; i < n && mapped; i++) {
                FusedStack.TileMapping m = search.search(groups.get(i).workload(), a, Set.of(), i);
                mapped = m != null;
                if (mapped) {
                    energy[i] = m.cost().energyPj();
                    latency[i] = m.cost().latencyCycles();
                    dram[i] = m.cost().dramReadBytes() + m.cost().dramWriteBytes();
                    macs[i] = m.cost().macs();
                }
            }
            if (!mapped) {
                continue;
            }
            List<Set<Operand>> none = StackSearches.none(n);
            StackCost.Context ctx = new StackCost.Context(a, g, 0.3, Map.of(), List.of(), none);
            // every configuration of every stack, none pruned (the planner skips those its bound shows cannot help)
            List<FusedStack> all = new ArrayList<>();
            for (StackShape s : StackShape.candidates(groups, g, h, DepthFirst.MAX_DEPTH)) {
                long unfusedMacs = 0;
                double e = 0;
                double l = 0;
                for (int i = s.first(); i <= s.last(); i++) {
                    e += energy[i];
                    l += latency[i];
                    unfusedMacs += macs[i];
                }
                for (StackCost.Config c : DepthFirst.configs(s)) {
                    FusedStack x = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(e, l, 0, s.size()), unfusedMacs);
                    if (x != null) {
                        all.add(x);
                    }
                }
            }
            for (Objective o : List.of(Objective.EDP, Objective.ENERGY, Objective.LATENCY)) {
                DoubleBinaryOperator f = o::value;
                double fixedE = 100 * r.nextDouble();
                double fixedL = 100 * r.nextDouble();
                double[] best = {Double.POSITIVE_INFINITY};
                int[] count = {0};
                brute(0, n, energy, latency, all, fixedE, fixedL, 0, 0, f, best, count);
                double unfused = value(List.of(), energy, latency, fixedE, fixedL, f);
                // the planner with the tile nests bounded by their MACs only, and with the search's own bound
                for (StackCost.TileBound bound : List.of(DepthFirst.macBound(ctx), DepthFirst.tileBound(a, 0.3, false))) {
                    DepthFirst.Result res = DepthFirst.plan(groups, h, ctx,
                            new DepthFirst.Baseline(energy, latency, dram, macs, fixedE, fixedL), search, bound, f);
                    double chosen = value(res.chosen(), energy, latency, fixedE, fixedL, f);
                    String where = "seed " + seed + " trial " + trial + " " + o + ": " + res.chosen().size()
                            + " stacks of " + res.evaluated().size() + " costed, " + all.size() + " in all";
                    assertEquals(best[0], chosen, 1e-12 * best[0], where);
                    assertTrue(chosen <= unfused, where);
                    assertTrue(res.costed() <= res.bounded(), where);
                    for (int i = 1; i < res.chosen().size(); i++) {
                        assertTrue(res.chosen().get(i).first() > res.chosen().get(i - 1).last(), where + ": stacks overlap");
                    }
                    withStacks += res.chosen().isEmpty() ? 0 : 1;
                }
                combinations += count[0];
            }
        }
        assertTrue(combinations >= 20, "too few combinations: " + combinations);
        assertTrue(withStacks >= 1, "no case chose a stack");
    }

    /** The objective of running {@code stacks} and every other pass unfused. */
    private static double value(List<FusedStack> stacks, double[] energy, double[] latency, double fixedE, double fixedL,
                                DoubleBinaryOperator f) {
        double e = fixedE;
        double l = fixedL;
        boolean[] covered = new boolean[energy.length];
        for (FusedStack s : stacks) {
            e += s.energyPj();
            l += s.latencyCycles();
            for (int i = s.first(); i <= s.last(); i++) {
                covered[i] = true;
            }
        }
        for (int i = 0; i < energy.length; i++) {
            if (!covered[i]) {
                e += energy[i];
                l += latency[i];
            }
        }
        return f.applyAsDouble(e, l);
    }

    /** Every combination from pass {@code i} on: the pass unfused, or any evaluated stack starting there. */
    private static void brute(int i, int n, double[] energy, double[] latency, List<FusedStack> all, double fixedE,
                              double fixedL, double e, double l, DoubleBinaryOperator f, double[] best, int[] count) {
        if (i == n) {
            count[0]++;
            best[0] = Math.min(best[0], f.applyAsDouble(e + fixedE, l + fixedL));
            return;
        }
        brute(i + 1, n, energy, latency, all, fixedE, fixedL, e + energy[i], l + latency[i], f, best, count);
        List<FusedStack> here = new ArrayList<>();
        for (FusedStack s : all) {
            if (s.first() == i) {
                here.add(s);
            }
        }
        for (FusedStack s : here) {
            brute(s.last() + 1, n, energy, latency, all, fixedE, fixedL, e + s.energyPj(), l + s.latencyCycles(), f, best, count);
        }
    }
}
