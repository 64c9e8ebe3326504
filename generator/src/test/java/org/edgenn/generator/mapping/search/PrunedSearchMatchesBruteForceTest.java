package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pruned exhaustive search (multiset orders, closed prefixes, dead prefixes, spatial lower bounds)
 * finds the same optimum as brute force: every spatial unrolling x every permutation of the loop list
 * (equal loops treated as distinct, nothing pruned), each allocated and costed.
 */
class PrunedSearchMatchesBruteForceTest {
    private static final Workload.Precision P = Workload.Precision.int8(32);

    static List<Object[]> cases() {
        List<Object[]> c = new ArrayList<>();
        // small buffers so that capacity actually constrains the greedy cuts
        AcceleratorSpec small = new AcceleratorSpec("small", 8, 32, 1e8,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.C, LoopDim.FY)),
                        new ArrayAxis("cols", 4, EnumSet.of(LoopDim.K, LoopDim.OX))),
                List.of(new MemoryLevel("wreg", 2, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.W), 0.01, 0.01),
                        new MemoryLevel("oreg", 8, true, 2, EnumSet.of(Operand.O), 0.02, 0.03),
                        new MemoryLevel("gbuf", 300, false, 16, EnumSet.allOf(Operand.class), 1.5, 1.8),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 2, EnumSet.allOf(Operand.class), 80, 90)));
        AcceleratorSpec noPrivate = new AcceleratorSpec("shared", 8, 24, 1e8,
                List.of(new ArrayAxis("x", 3, EnumSet.of(LoopDim.OY, LoopDim.K))),
                List.of(new MemoryLevel("l1", 64, false, 8, EnumSet.of(Operand.I, Operand.O), 0.5, 0.6),
                        new MemoryLevel("l2", 512, false, 8, EnumSet.of(Operand.W, Operand.I), 2, 2.5),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 1, EnumSet.allOf(Operand.class), 50, 50)));
        // a buffer that holds every layer whole: its cut is the last loop in every order, which closes prefixes early
        AcceleratorSpec roomy = new AcceleratorSpec("roomy", 8, 32, 1e8,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.C, LoopDim.FY)),
                        new ArrayAxis("cols", 4, EnumSet.of(LoopDim.K, LoopDim.OX))),
                List.of(new MemoryLevel("oreg", 8, true, 2, EnumSet.of(Operand.O), 0.02, 0.03),
                        new MemoryLevel("gbuf", 1 << 20, false, 16, EnumSet.allOf(Operand.class), 1.5, 1.8),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 2, EnumSet.allOf(Operand.class), 80, 90)));
        List<Workload> layers = List.of(
                Workload.conv("conv", 1, 4, 6, 4, 3, 3, 1, 1, 0, P),
                Workload.conv("strided", 1, 1, 6, 4, 4, 2, 3, 3, 2, 1, 1, 1, 0, 0, P),
                Workload.dense("fc", 2, 12, 9, P),
                Workload.depthwise("dw", 1, 6, 4, 3, 3, 1, 1, 0, P),
                Workload.pool("pool", 1, 4, 3, 3, 2, 2, 2, 0, true, 8, 32),
                Workload.elementwise("add", 1, 8, 3, 4, 8));
        for (AcceleratorSpec a : List.of(small, noPrivate, roomy)) {
            for (Workload w : layers) {
                for (Objective o : List.of(Objective.ENERGY, Objective.LATENCY, Objective.EDP)) {
                    c.add(new Object[] {a, w, o});
                }
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{1} on {0}, {2}")
    @MethodSource("cases")
    void sameOptimumAsBruteForce(AcceleratorSpec a, Workload w, Objective o) {
        CostModel model = new CostModel(MemoryHierarchy.of(a), 0.3);
        SearchOptions opts = SearchOptions.defaults().withStrategy(SearchOptions.Strategy.EXHAUSTIVE)
                .withSpatialCandidates(0).withLoopLimit(6);
        LayerMapping pruned = LayerSearch.search(w, model, o, opts, ProgressListener.NONE, 0, 1, List.of(), false);
        Candidate brute = bruteForce(w, model, o, 6);
        assertTrue(pruned.provenOptimal());
        assertEquals(brute.objective(), pruned.objectiveValue(), 1e-9 * Math.abs(brute.objective()),
                () -> "brute " + brute.result().mapping() + " vs pruned " + pruned.cost().mapping());
        assertTrue(pruned.evaluated() <= bruteCount, "pruning never costs more mappings than brute force");
    }

    static List<Object[]> energyCases() {
        return cases().stream().filter(c -> c[2] == Objective.ENERGY).toList();
    }

    /**
     * The same with ZigZag's rules, as a search for ZigZag runs ({@code --export-zigzag}): ZigZag's allocator only and
     * its energy accounting (real MACs, MAC-level stationarity, partial sums read back every period), where the
     * spatial lower bound leaves the MAC link's W and I reads out and keeps the copies written into every instance.
     */
    @ParameterizedTest(name = "{1} on {0}, {2}, ZigZag's rules")
    @MethodSource("energyCases")
    void sameOptimumAsBruteForceWithZigZagRules(AcceleratorSpec a, Workload w, Objective o) {
        CostModel model = new CostModel(MemoryHierarchy.of(a), 0.3).withZigZagRules(true);
        SearchOptions opts = SearchOptions.defaults().withStrategy(SearchOptions.Strategy.EXHAUSTIVE)
                .withSpatialCandidates(0).withLoopLimit(6).withZigZagAllocation(true);
        LayerMapping pruned = LayerSearch.search(w, model, o, opts, ProgressListener.NONE, 0, 1);
        var zigzag = EnumSet.of(LoopAllocator.Policy.MIN_TRAFFIC);
        Candidate brute = bruteForce(w, model, o, 6, zigzag);
        assertTrue(pruned.provenOptimal());
        assertEquals(brute.objective(), pruned.objectiveValue(), 1e-9 * Math.abs(brute.objective()),
                () -> "brute " + brute.result().mapping() + " vs pruned " + pruned.cost().mapping());
    }

    private long bruteCount;

    private Candidate bruteForce(Workload w, CostModel model, Objective o, int loopLimit) {
        return bruteForce(w, model, o, loopLimit, EnumSet.allOf(LoopAllocator.Policy.class));
    }

    private Candidate bruteForce(Workload w, CostModel model, Objective o, int loopLimit,
                                 java.util.Set<LoopAllocator.Policy> policies) {
        Evaluator ev = new Evaluator(w, model, o, policies);
        bruteCount = 0;
        for (SpatialMapping s : SpatialMappingGenerator.generate(w, model.hierarchy())) {
            List<Loop> loops = LoopFactorizer.loops(w, s, loopLimit);
            LoopAllocator alloc = new LoopAllocator(w, model.hierarchy(), s);
            Evaluator perSpatial = new Evaluator(w, model, o, policies);
            permute(new ArrayList<>(loops), 0, order -> ev.offer(perSpatial.evaluate(s, alloc, order)));
            if (perSpatial.best() != null) { // the bound used to skip unrollings must be a true lower bound
                double bound = LowerBound.of(w, model.hierarchy(), s, model, o);
                assertTrue(bound <= perSpatial.best().objective() * (1 + 1e-12),
                        "lower bound " + bound + " > optimum " + perSpatial.best().objective() + " for " + s);
            }
            bruteCount += perSpatial.evaluated();
        }
        return ev.best();
    }

    private static void permute(List<Loop> a, int k, java.util.function.Consumer<List<Loop>> visit) {
        if (k == a.size()) {
            visit.accept(List.copyOf(a));
            return;
        }
        for (int i = k; i < a.size(); i++) {
            java.util.Collections.swap(a, k, i);
            permute(a, k + 1, visit);
            java.util.Collections.swap(a, k, i);
        }
    }
}
