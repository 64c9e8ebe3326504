package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.zigzag.ZigZagImport;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default search (top unrollings by utilization) screens the other unrollings when it minimizes energy. On
 * ZigZag's generic_array_cacti (per-PE input, weight and output registers of 128 B; a 256 x 256 array unrolling K and
 * C) the least energy of small convolutions lies at an unrolling that utilization ranks below the top three; the
 * screened search must find the brute-force optimum (every unrolling x every permutation of its loops, ZigZag's
 * rules and allocator), which the top three alone miss.
 */
class ScreenedUnrollingsTest {
    private static final Workload.Precision P = Workload.Precision.int8(16);

    private static CostModel cacti() throws IOException {
        String hw;
        String map;
        try (InputStream h = ScreenedUnrollingsTest.class.getResourceAsStream("/zigzag/hardware/hw_generic_array_cacti.yaml");
             InputStream m = ScreenedUnrollingsTest.class.getResourceAsStream("/zigzag/hardware/map_default.yaml")) {
            hw = new String(h.readAllBytes(), StandardCharsets.UTF_8);
            map = new String(m.readAllBytes(), StandardCharsets.UTF_8);
        }
        AcceleratorSpec spec = DslAccelerators.parse(ZigZagImport.toEdgenn(hw, map));
        return new CostModel(MemoryHierarchy.of(spec), spec.macEnergyPj()).withZigZagRules(true);
    }

    /** Orders small enough that the screening enumerates them: the result is then exact, not annealed. */
    private static SearchOptions defaults() {
        return SearchOptions.defaults().withLoopLimit(5).withZigZagAllocation(true).withThreads(1);
    }

    @ParameterizedTest(name = "K{0}")
    @ValueSource(ints = {32, 64})
    void energyFindsTheBruteForceOptimumOutsideTheTopUnrollings(int k) throws IOException {
        CostModel model = cacti();
        Workload w = Workload.conv("conv", 1, k, 8, 8, 8, 3, 3, 1, 0, P);
        LayerMapping found = LayerSearch.search(w, model, Objective.ENERGY, defaults(), ProgressListener.NONE, 0, 1);
        List<SpatialMapping> all = SpatialMappingGenerator.generate(w, model.hierarchy());
        Candidate brute = bruteForce(w, model, Objective.ENERGY, all);
        Candidate top = bruteForce(w, model, Objective.ENERGY, all.subList(0, 3));
        assertTrue(top.objective() > brute.objective() * 1.001,
                "the case must need the screening: top three " + top.objective() + " vs " + brute.objective());
        assertFalse(all.subList(0, 3).contains(brute.result().mapping().spatial()));
        assertEquals(brute.objective(), found.objectiveValue(), 1e-9 * brute.objective(),
                () -> "brute " + brute.result().mapping() + " vs screened " + found.cost().mapping());
    }

    /** Latency and EDP keep the top unrollings by utilization: no screening, the same result as before it. */
    @Test
    void edpSearchesTheTopUnrollingsOnly() throws IOException {
        CostModel model = cacti();
        Workload w = Workload.conv("conv", 1, 32, 8, 8, 8, 3, 3, 1, 0, P);
        LayerMapping found = LayerSearch.search(w, model, Objective.EDP, defaults(), ProgressListener.NONE, 0, 1);
        List<SpatialMapping> all = SpatialMappingGenerator.generate(w, model.hierarchy());
        Candidate top = bruteForce(w, model, Objective.EDP, all.subList(0, 3));
        assertEquals(top.objective(), found.objectiveValue(), 1e-9 * top.objective());
    }

    @Test
    void transplantKeepsTheLoopsAndFollowsTheWinningDimensionOrder() {
        List<Loop> best = List.of(new Loop(LoopDim.OX, 8), new Loop(LoopDim.FX, 3), new Loop(LoopDim.K, 4),
                new Loop(LoopDim.OX, 7));
        List<Loop> loops = List.of(new Loop(LoopDim.K, 2), new Loop(LoopDim.K, 8), new Loop(LoopDim.OX, 2),
                new Loop(LoopDim.OX, 4), new Loop(LoopDim.OX, 7), new Loop(LoopDim.FX, 3), new Loop(LoopDim.C, 2));
        assertEquals(List.of(new Loop(LoopDim.OX, 2), new Loop(LoopDim.FX, 3), new Loop(LoopDim.K, 2),
                new Loop(LoopDim.K, 8), new Loop(LoopDim.OX, 4), new Loop(LoopDim.OX, 7), new Loop(LoopDim.C, 2)),
                LayerSearch.transplant(best, loops));
    }

    /** Every unrolling of {@code spatials} x every permutation of its loops, ZigZag's allocator, nothing pruned. */
    private static Candidate bruteForce(Workload w, CostModel model, Objective o, List<SpatialMapping> spatials) {
        var policies = EnumSet.of(LoopAllocator.Policy.MIN_TRAFFIC);
        Evaluator ev = new Evaluator(w, model, o, policies);
        for (SpatialMapping s : spatials) {
            List<Loop> loops = LoopFactorizer.loops(w, s, 5);
            LoopAllocator alloc = new LoopAllocator(w, model.hierarchy(), s);
            permute(new ArrayList<>(loops), 0, order -> ev.offer(ev.evaluate(s, alloc, order)));
        }
        return ev.best();
    }

    private static void permute(List<Loop> a, int k, Consumer<List<Loop>> visit) {
        if (k == a.size()) {
            visit.accept(List.copyOf(a));
            return;
        }
        for (int i = k; i < a.size(); i++) {
            Collections.swap(a, k, i);
            permute(a, k + 1, visit);
            Collections.swap(a, k, i);
        }
    }
}
