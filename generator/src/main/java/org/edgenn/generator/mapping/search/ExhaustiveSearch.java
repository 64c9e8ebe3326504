package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Relevance;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * Exhaustive search over the loop orders of one spatial unrolling, with pruning that never loses the
 * optimum of the cost model (the brute-force test checks this):
 * <ol>
 *   <li>Equal loops are interchangeable: orders are enumerated as multiset permutations.</li>
 *   <li>Closed prefixes: orders are built innermost first. Once a prefix fixes every non-backing level's
 *       greedy cut (its tiles at the full prefix already overflow) and, for every such cut, an
 *       operand-relevant loop lies between the cut and the end of the prefix, the cost no longer depends on
 *       how the remaining loops are ordered: fills are the product of all loops above the cut divided by the
 *       (now fixed) irrelevant run right above it, distinct tiles are order-free products and tile sizes
 *       depend on the prefix only. One completion is evaluated for the whole subtree.</li>
 *   <li>Dead prefixes: if a level cannot hold even the smallest tiles the prefix allows, no completion can.</li>
 *   <li>Both conditions are checked for every {@link LoopAllocator.Policy} the evaluator tries.</li>
 * </ol>
 */
public final class ExhaustiveSearch {
    private final Evaluator evaluator;
    private final SpatialMapping spatial;
    private final LoopAllocator allocator;
    private final Loop[] types;
    private final int[] remaining;
    private final int n;
    private final int[] order;
    private final long[][] prefix;
    private final Workload w;
    private final MemoryHierarchy h;
    private final LongConsumer onLeaf;
    private final LoopAllocator.Policy[] policies;

    private final boolean bounded;

    public ExhaustiveSearch(Evaluator evaluator, SpatialMapping spatial, List<Loop> loops, LongConsumer onLeaf) {
        this(evaluator, spatial, loops, onLeaf, true);
    }

    /**
     * {@code bounded}: leaves whose stall-free cost already exceeds the best found are not finished
     * ({@link Evaluator#evaluateForBest}); false costs every leaf in full (the reference the bound is tested against).
     */
    ExhaustiveSearch(Evaluator evaluator, SpatialMapping spatial, List<Loop> loops, LongConsumer onLeaf, boolean bounded) {
        this.bounded = bounded;
        this.evaluator = evaluator;
        this.spatial = spatial;
        this.w = evaluator.workload();
        this.h = evaluator.model().hierarchy();
        this.allocator = new LoopAllocator(w, h, spatial);
        List<Loop> distinct = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Loop l : loops) {
            int i = distinct.indexOf(l);
            if (i < 0) {
                distinct.add(l);
                counts.add(1);
            } else {
                counts.set(i, counts.get(i) + 1);
            }
        }
        this.types = distinct.toArray(new Loop[0]);
        this.remaining = counts.stream().mapToInt(Integer::intValue).toArray();
        this.n = loops.size();
        this.order = new int[n];
        this.prefix = new long[n + 1][LoopDim.values().length];
        java.util.Arrays.fill(prefix[0], 1);
        this.onLeaf = onLeaf;
        this.policies = evaluator.policies();
    }

    /** Multiset permutations of {@code loops}: the size of the unpruned space. */
    public static long orderCount(List<Loop> loops) {
        java.util.Map<Loop, Integer> c = new java.util.HashMap<>();
        loops.forEach(l -> c.merge(l, 1, Integer::sum));
        double v = 1;
        int k = 0;
        for (int m : c.values()) {
            for (int i = 1; i <= m; i++) {
                k++;
                v = v * k / i;
            }
        }
        return v > Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(v);
    }

    public void run() {
        recurse(0);
    }

    private void recurse(int k) {
        if (k > 0 && k < n) {
            Status s = status(k);
            if (s == Status.DEAD) {
                return;
            }
            if (s == Status.CLOSED) {
                evaluateCompletion(k);
                return;
            }
        }
        if (k == n) {
            evaluateCompletion(k);
            return;
        }
        for (int t = 0; t < types.length; t++) {
            if (remaining[t] == 0) {
                continue;
            }
            remaining[t]--;
            order[k] = t;
            System.arraycopy(prefix[k], 0, prefix[k + 1], 0, prefix[k].length);
            prefix[k + 1][types[t].dim().ordinal()] *= types[t].factor();
            recurse(k + 1);
            remaining[t]++;
        }
    }

    /** The prefix, then the remaining loops in a fixed (type) order. */
    private void evaluateCompletion(int k) {
        List<Loop> full = new ArrayList<>(n);
        for (int i = 0; i < k; i++) {
            full.add(types[order[i]]);
        }
        for (int t = 0; t < types.length; t++) {
            for (int r = 0; r < remaining[t]; r++) {
                full.add(types[t]);
            }
        }
        if (bounded) {
            evaluator.evaluateForBest(spatial, allocator, full);
        } else {
            evaluator.evaluate(spatial, allocator, full);
        }
        onLeaf.accept(evaluator.evaluated());
    }

    private enum Status { OPEN, CLOSED, DEAD }

    /**
     * CLOSED when, for every allocation policy that can still fit, the prefix fixes every cut (no cut reached
     * k) and puts a relevant loop above each; DEAD when no policy fits; OPEN otherwise.
     */
    private Status status(int k) {
        boolean anyAlive = false;
        for (LoopAllocator.Policy p : policies) {
            LoopAllocator.Result r = allocator.allocate(null, prefix, k, n, p, outputReuseBeyond());
            if (r == null) {
                continue; // dead for this policy: sizes only grow, no completion revives it
            }
            anyAlive = true;
            if (r.open() || !runsClosed(r.cuts(), k)) {
                return Status.OPEN;
            }
        }
        return anyAlive ? Status.CLOSED : Status.DEAD;
    }

    /** True when a loop not yet placed is irrelevant to O (partial sums stay partial under every cut). */
    private boolean outputReuseBeyond() {
        for (int t = 0; t < types.length; t++) {
            if (remaining[t] > 0 && types[t].factor() > 1 && !Relevance.relevant(Operand.O, types[t].dim())) {
                return true;
            }
        }
        return false;
    }

    /** Every non-backing cut has an operand-relevant loop between it and the end of the prefix. */
    private boolean runsClosed(java.util.Map<Operand, int[]> cuts, int k) {
        for (Operand op : w.operands()) {
            int[] c = cuts.get(op);
            for (int j = 0; j < c.length - 1; j++) {
                boolean closed = false;
                for (int i = c[j]; i < k && !closed; i++) {
                    closed = Relevance.relevant(op, types[order[i]].dim());
                }
                if (!closed) {
                    return false;
                }
            }
        }
        return true;
    }
}
