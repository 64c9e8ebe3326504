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
    private long unfinished;
    private Candidate best;
    private SpatialMapping lastSpatial;
    private int[] lastFactors;
    private final LoopAllocator.Policy[] policies;
    /** Per unrolling, the objective of every loop order {@link #objectiveOf} costed (infinity: no fit). */
    private final Map<SpatialMapping, Map<List<Loop>, Double>> remembered = new java.util.HashMap<>();
    private long reused;
    private boolean remember = true;

    /** Tries every allocation policy. */
    public Evaluator(Workload w, CostModel model, Objective objective) {
        this(w, model, objective, java.util.EnumSet.allOf(LoopAllocator.Policy.class));
    }

    /** Tries the given allocation policies only (ZigZag's alone for a mapping exchanged with ZigZag). */
    public Evaluator(Workload w, CostModel model, Objective objective, java.util.Set<LoopAllocator.Policy> policies) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no allocation policy");
        }
        this.w = w;
        this.model = model;
        this.objective = objective;
        this.policies = policies.toArray(new LoopAllocator.Policy[0]);
    }

    /** The allocation policies this evaluator tries. */
    public LoopAllocator.Policy[] policies() {
        return policies.clone();
    }

    /**
     * Costs {@code order} under {@code spatial} with every allocation policy; returns the best of them (null if
     * the tiles never fit) and keeps the overall best.
     */
    public Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order) {
        return evaluate(spatial, allocator, order, false);
    }

    /**
     * The same for a search that only needs the overall best (the exhaustive search): a mapping whose stall-free
     * cost already exceeds the best found is not finished ({@link CostModel#evaluateValid(Workload, Mapping, Tiles,
     * java.util.function.DoubleBinaryOperator, double)}), so the best is the one {@link #evaluate} would keep; the
     * return value is then null or a candidate that became the best. Not for annealing, which steps on the costs
     * of mappings that are not the best.
     */
    public Candidate evaluateForBest(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order) {
        return evaluate(spatial, allocator, order, true);
    }

    /**
     * The objective of {@link #evaluate}'s result for {@code order} (infinity when its tiles never fit), costing each
     * order once per unrolling: annealing proposes the same orders again and again (rejected moves, a cold run circling
     * its optimum, the screening's later rounds retracing the earlier ones), and an order costs the same every time
     * ({@link #evaluate} depends only on its arguments), so a remembered value leaves the search's path, its best and
     * its result unchanged. ResNet-18's energy search on ZigZag's tpu_like: about half of the annealing's orders are
     * repeats.
     */
    public double objectiveOf(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order) {
        if (!remember) {
            Candidate c = evaluate(spatial, allocator, order);
            return c == null ? Double.POSITIVE_INFINITY : c.objective();
        }
        Map<List<Loop>, Double> seen = remembered.computeIfAbsent(spatial, k -> new java.util.HashMap<>());
        Double known = seen.get(order);
        if (known != null) {
            reused++;
            return known;
        }
        Candidate c = evaluate(spatial, allocator, order);
        double value = c == null ? Double.POSITIVE_INFINITY : c.objective();
        seen.put(List.copyOf(order), value);
        return value;
    }

    /** This evaluator with {@link #objectiveOf} costing every order asked for (the tests' reference). */
    Evaluator forgetful() {
        remember = false;
        return this;
    }

    /** Of the orders {@link #objectiveOf} was asked for, those answered from memory (not costed again). */
    public long reused() {
        return reused;
    }

    private Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order, boolean bounded) {
        return evaluate(spatial, allocator, order, null, bounded);
    }

    /**
     * {@code allocated}: the cuts of {@code order} under each of {@link #policies()} (null where they do not fit), as
     * {@code allocator.allocate} gives them, when the caller has them already (the exhaustive search); null: allocated
     * here. {@code bounded}: as {@link #evaluateForBest}.
     */
    Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order, Map<Operand, int[]>[] allocated,
                       boolean bounded) {
        if (spatial != lastSpatial) { // factors are recomputed per unrolling, not per loop order
            lastSpatial = spatial;
            lastFactors = spatial.factors();
        }
        Tiles t = new Tiles(w, lastFactors, order);
        Candidate bestHere = null;
        @SuppressWarnings("unchecked")
        Map<Operand, int[]>[] costed = new Map[policies.length];
        for (int i = 0; i < policies.length; i++) {
            Map<Operand, int[]> cuts = allocated != null ? allocated[i] : allocator.allocate(t, policies[i]);
            if (cuts == null || costedBefore(cuts, costed, i)) {
                continue;   // a mapping already costed here costs the same and cannot change the best
            }
            costed[i] = cuts;
            evaluated++;
            Mapping m = new Mapping(spatial, order, cuts, allocator.sharing());
            CostResult r = bounded && best != null
                    ? model.evaluateValid(w, m, t, objective::value, best.objective())
                    : model.evaluateValid(w, m, t);
            if (r == null) {
                unfinished++;
                continue; // cannot beat the best found, whatever its stalls (bounded search only)
            }
            Candidate c = new Candidate(r, objective.value(r));
            offer(c);
            if (bestHere == null || Candidate.ORDER.compare(c, bestHere) < 0) {
                bestHere = c;
            }
        }
        return bestHere;
    }

    private static boolean costedBefore(Map<Operand, int[]> cuts, Map<Operand, int[]>[] costed, int count) {
        for (int j = 0; j < count; j++) {
            if (sameCuts(cuts, costed[j])) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameCuts(Map<Operand, int[]> a, Map<Operand, int[]> b) {
        if (b == null) {
            return false;
        }
        for (Map.Entry<Operand, int[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
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

    /** Of {@link #evaluated()}, the mappings whose costing stopped at the bound (see {@link #evaluateForBest}). */
    public long unfinished() {
        return unfinished;
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
