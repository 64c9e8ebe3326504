package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.edgenn.generator.mapping.Objective;
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
import org.junit.jupiter.api.Test;

/**
 * The exhaustive search's bound at a leaf (a mapping whose stall-free cost already exceeds the best found is not
 * finished) never changes the result: on random accelerators (capacities small enough to bind, separate and shared
 * ports, slow ports that stall) and random layers, under every objective, the bounded search ends with exactly the
 * mapping, energy, latency and objective of the same search costing every leaf in full, unrolling after unrolling
 * (the best found carries over, as in {@link LayerSearch}).
 */
class BoundedLeafSearchTest {
    private static final Workload.Precision P = Workload.Precision.int8(32);

    @Test
    void boundedSearchEndsWhereTheFullSearchEnds() {
        SplittableRandom rnd = new SplittableRandom(15);
        int compared = 0;
        long fullLeaves = 0;
        long finished = 0;
        long unfinished = 0;
        for (int i = 0; i < 40; i++) {
            AcceleratorSpec a = accelerator(rnd, i);
            Workload w = layer(rnd, i);
            Objective o = List.of(Objective.EDP, Objective.LATENCY, Objective.ENERGY, Objective.weighted(1, 50)).get(i % 4);
            CostModel model = new CostModel(MemoryHierarchy.of(a), 0.3);
            Evaluator bounded = new Evaluator(w, model, o);
            Evaluator full = new Evaluator(w, model, o);
            for (SpatialMapping s : SpatialMappingGenerator.generate(w, model.hierarchy())) {
                List<Loop> loops = LoopFactorizer.loops(w, s, 4);
                new ExhaustiveSearch(bounded, s, loops, n -> { }, true).run();
                new ExhaustiveSearch(full, s, loops, n -> { }, false).run();
            }
            if (full.best() == null) {
                assertEquals(null, bounded.best(), "no mapping fits in either");
                continue;
            }
            compared++;
            fullLeaves += full.evaluated();
            finished += bounded.evaluated();
            unfinished += bounded.unfinished();
            String what = w + " on case " + i + " (" + o + ")";
            assertEquals(full.best().result().mapping().compact(), bounded.best().result().mapping().compact(), what);
            assertEquals(full.best().objective(), bounded.best().objective(), 0.0, what);
            assertEquals(full.best().result().energyPj(), bounded.best().result().energyPj(), 0.0, what);
            assertEquals(full.best().result().latencyCycles(), bounded.best().result().latencyCycles(), 0.0, what);
        }
        assertTrue(compared >= 25, "most random cases have a valid mapping: " + compared);
        assertEquals(fullLeaves, finished, "the same allocations are tried; only their costing stops early");
        assertTrue(unfinished > finished / 10, "the bound stops a real share of the costings: " + unfinished + " of " + finished);
    }

    private static AcceleratorSpec accelerator(SplittableRandom rnd, int i) {
        List<ArrayAxis> axes = List.of(new ArrayAxis("rows", 2 + rnd.nextInt(4), EnumSet.of(LoopDim.C, LoopDim.FY)),
                new ArrayAxis("cols", 2 + rnd.nextInt(4), EnumSet.of(LoopDim.K, LoopDim.OX)));
        List<MemoryLevel> m = new ArrayList<>();
        if (rnd.nextBoolean()) {
            m.add(new MemoryLevel("wreg", 1 + rnd.nextInt(4), true, 1 + rnd.nextInt(4), Set.of(Operand.W), 0.01, 0.02));
        }
        m.add(new MemoryLevel("oreg", 4 + 4 * rnd.nextInt(4), true, rnd.nextBoolean() ? 4 : Double.POSITIVE_INFINITY,
                Set.of(Operand.O), 0.05, 0.06, Set.of(), rnd.nextBoolean() ? 4 : Double.NaN));
        m.add(new MemoryLevel("gbuf", 64 + rnd.nextInt(1024), false, 2 + rnd.nextInt(30), EnumSet.allOf(Operand.class),
                1 + rnd.nextDouble(), 1.2 + rnd.nextDouble()));
        m.add(new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 1 + rnd.nextInt(8), EnumSet.allOf(Operand.class), 80, 90));
        return new AcceleratorSpec("random" + i, 8, 32, 1e8, axes, m);
    }

    private static Workload layer(SplittableRandom rnd, int i) {
        switch (rnd.nextInt(3)) {
            case 0:
                return Workload.conv("conv" + i, 1, 2 + rnd.nextInt(7), 2 + rnd.nextInt(7), 2 + rnd.nextInt(5),
                        2 + rnd.nextInt(5), 1 + 2 * rnd.nextInt(2), 1, 1, 0, P);
            case 1:
                return Workload.dense("fc" + i, 1 + rnd.nextInt(3), 4 + rnd.nextInt(20), 4 + rnd.nextInt(20), P);
            default:
                return Workload.conv("strided" + i, 1, 1, 2 + rnd.nextInt(5), 2 + rnd.nextInt(4), 3 + rnd.nextInt(3),
                        2 + rnd.nextInt(3), 3, 1, 2, 1, 1, 1, 0, 0, P);
        }
    }
}
