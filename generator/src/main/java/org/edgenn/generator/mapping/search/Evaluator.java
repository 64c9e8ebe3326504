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
    /** Per unrolling, the loop orders {@link #objectiveWithin} costed. */
    private final Map<SpatialMapping, Memory> remembered = new java.util.HashMap<>();
    private long reused;
    private boolean remember = true;
    /** Whether the last {@link #evaluate} left a mapping unfinished at its limit. */
    private boolean unfinishedHere;

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
     * its result unchanged.
     */
    public double objectiveOf(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order) {
        return objectiveWithin(spatial, allocator, order, Double.POSITIVE_INFINITY);
    }

    /**
     * The same, or {@link Double#NaN} when the objective is certainly above {@code limit} (its costing then stops at
     * {@link CostModel#evaluateValid(Workload, Mapping, Tiles, java.util.function.DoubleBinaryOperator, double)}'s
     * bound): for a caller that only needs to know that, such as an annealing move its Metropolis test will reject
     * anyway. Such an order cannot be the best either (the caller's limit is at least an objective already costed).
     */
    double objectiveWithin(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order, double limit) {
        if (!remember) {
            Candidate c = evaluate(spatial, allocator, order, null, Double.POSITIVE_INFINITY);
            return c == null ? Double.POSITIVE_INFINITY : c.objective();
        }
        Memory m = remembered.computeIfAbsent(spatial, k -> new Memory());
        Double known = m.exact.get(order);
        if (known != null) {
            reused++;
            return known;
        }
        Double above = m.above.get(order);
        if (above != null && above >= limit) {
            reused++;
            return Double.NaN;
        }
        Candidate c = evaluate(spatial, allocator, order, null, limit);
        if (c == null && unfinishedHere) {
            m.above.put(List.copyOf(order), limit); // above this limit, and so above any lower one
            return Double.NaN;
        }
        double value = c == null ? Double.POSITIVE_INFINITY : c.objective();
        m.exact.put(List.copyOf(order), value);
        return value;
    }

    /** One unrolling's remembered orders: exact objectives, and orders known only to cost more than a limit. */
    private static final class Memory {
        final Map<List<Loop>, Double> exact = new java.util.HashMap<>();
        final Map<List<Loop>, Double> above = new java.util.HashMap<>();
    }

    /** This evaluator costing every order {@link #objectiveWithin} is asked for, whole (the tests' reference). */
    Evaluator forgetful() {
        remember = false;
        return this;
    }

    /** Of the orders {@link #objectiveWithin} was asked for, those answered from memory (not costed again). */
    public long reused() {
        return reused;
    }

    private Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order, boolean bounded) {
        return evaluate(spatial, allocator, order, null, bounded);
    }

    Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order, Map<Operand, int[]>[] allocated,
                       boolean bounded) {
        return evaluate(spatial, allocator, order, allocated,
                bounded && best != null ? best.objective() : Double.POSITIVE_INFINITY);
    }

    /**
     * {@code allocated}: the cuts of {@code order} under each of {@link #policies()} (null where they do not fit), as
     * {@code allocator.allocate} gives them, when the caller has them already (the exhaustive search); null: allocated
     * here. {@code limit}: a mapping certainly above it is not finished (as {@link #evaluateForBest} does with the best
     * found); infinity: every mapping finished. {@link #unfinishedHere} tells whether some policy's mapping stopped.
     */
    private Candidate evaluate(SpatialMapping spatial, LoopAllocator allocator, List<Loop> order,
                               Map<Operand, int[]>[] allocated, double limit) {
        unfinishedHere = false;
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
            CostResult r = limit < Double.POSITIVE_INFINITY
                    ? model.evaluateValid(w, m, t, objective::value, limit)
                    : model.evaluateValid(w, m, t);
            if (r == null) {
                unfinished++;
                unfinishedHere = true;
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
