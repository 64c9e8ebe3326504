package org.edgenn.generator.mapping.search;

import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Stage 3: a loop order becomes a costed mapping (greedy allocation, then the cost model), and a running
 * best is kept with {@link Candidate#ORDER}'s deterministic tie-breaks. Counts evaluations.
 */
public final class Evaluator {
    private final Workload w;
    private final CostModel model;
    private final Objective objective;
    private long evaluated;
    private Candidate best;
    private SpatialMapping lastSpatial;
    private int[] lastFactors;

    public Evaluator(Workload w, CostModel model, Objective objective) {
        this.w = w;
        this.model = model;
        this.objective = objective;
    }

    /** Costs {@code order} under {@code spatial}; null if the tiles do not fit. Keeps the best. */
    public Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order) {
        evaluated++;
        if (spatial != lastSpatial) { // factors are recomputed per unrolling, not per loop order
            lastSpatial = spatial;
            lastFactors = spatial.factors();
        }
        Tiles t = new Tiles(w, lastFactors, order);
        Map<Operand, int[]> cuts = allocator.allocate(t);
        if (cuts == null) {
            return null;
        }
        Mapping m = new Mapping(spatial, order, cuts);
        CostResult r = model.evaluateValid(w, m, t);
        Candidate c = new Candidate(r, objective.value(r));
        offer(c);
        return c;
    }

    public void offer(Candidate c) {
        if (c != null && (best == null || Candidate.ORDER.compare(c, best) < 0)) {
            best = c;
        }
    }

    public Candidate best() {
        return best;
    }

    public long evaluated() {
        return evaluated;
    }

    public Objective objective() {
        return objective;
    }

    public CostModel model() {
        return model;
    }

    public Workload workload() {
        return w;
    }
}
