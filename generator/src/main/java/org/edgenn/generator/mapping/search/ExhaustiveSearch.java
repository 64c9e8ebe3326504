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
    /**
     * fixed[k][p]: policy p's allocation when the first k loops already decide it (no cut and, for ZigZag's policy, no
     * operand's fitting range reached k), which is then every completion's allocation too: a longer prefix only adds
     * cuts above k, none of which fits where cut k did not (tile sizes grow with the cut, and each candidate cut's
     * bytes and traffic depend on the loops under it alone), so each level chooses among the same cuts. Inherited
     * down the recursion; null while open (or dead).
     */
    private final LoopAllocator.Result[][] fixed;
    /**
     * whole[p][level]: policy p cuts that level at the last loop in every order ({@link LoopAllocator#holdsWhole}): it
     * holds the whole layer. Such a cut is decided by no prefix, and no loop is above it (one fill, one distinct tile),
     * so it never keeps a prefix open.
     */
    private final boolean[][] whole;

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
        allocator.track(prefix);
        this.onLeaf = onLeaf;
        this.policies = evaluator.policies();
        this.fixed = new LoopAllocator.Result[n + 1][policies.length];
        long[] totals = new long[LoopDim.values().length];
        java.util.Arrays.fill(totals, 1);
        for (Loop l : loops) {
            totals[l.dim().ordinal()] *= l.factor();
        }
        // row n holds every order's full products: an allocation with a whole level reads a level above it there
        System.arraycopy(totals, 0, prefix[n], 0, totals.length);
        this.whole = new boolean[policies.length][h.levelCount()];
        for (int p = 0; p < policies.length; p++) {
            for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
                whole[p][lvl] = allocator.holdsWhole(lvl, policies[p], totals);
            }
        }
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
        // with one completion left (the remaining loops all alike) the prefix's status decides nothing: CLOSED would
        // evaluate that completion, which the recursion reaches anyway; DEAD means no policy fits it, so the leaf
        // costs nothing either (sizes only grow with the prefix)
        if (k > 0 && k < n && remainingTypes() > 1) {
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
            allocator.prefixChanged(k + 1);
            System.arraycopy(fixed[k], 0, fixed[k + 1], 0, policies.length);
            recurse(k + 1);
            remaining[t]++;
        }
    }

    private int remainingTypes() {
        int kinds = 0;
        for (int r : remaining) {
            kinds += r > 0 ? 1 : 0;
        }
        return kinds;
    }

    /**
     * The prefix, then the remaining loops in a fixed (type) order. Its cuts are allocated on the search's own prefix
     * products (the completion's rows written in), whose tile sizes the allocator keeps per cut: the same cuts as
     * allocating the order from scratch, which the evaluator would do.
     */
    private void evaluateCompletion(int k) {
        List<Loop> full = new ArrayList<>(n);
        for (int i = 0; i < k; i++) {
            full.add(types[order[i]]);
        }
        int row = k;
        for (int t = 0; t < types.length; t++) {
            for (int r = 0; r < remaining[t]; r++) {
                full.add(types[t]);
                System.arraycopy(prefix[row], 0, prefix[row + 1], 0, prefix[row].length);
                prefix[row + 1][types[t].dim().ordinal()] *= types[t].factor();
                row++;
            }
        }
        if (k < n) {
            allocator.prefixChanged(k + 1);
        }
        @SuppressWarnings("unchecked")
        java.util.Map<Operand, int[]>[] cuts = new java.util.Map[policies.length];
        for (int p = 0; p < policies.length; p++) {
            LoopAllocator.Result r = fixed[k][p] != null ? fixed[k][p]
                    : allocator.allocate(null, prefix, n, n, policies[p], false);
            cuts[p] = r == null ? null : r.cuts();
        }
        evaluator.evaluate(spatial, allocator, full, cuts, bounded);
        onLeaf.accept(evaluator.evaluated());
    }

    private enum Status { OPEN, CLOSED, DEAD }

    /**
     * CLOSED when, for every allocation policy that can still fit, the prefix fixes every cut (no cut reached
     * k) and puts a relevant loop above each; DEAD when no policy fits; OPEN otherwise.
     */
    private Status status(int k) {
        boolean anyAlive = false;
        boolean reuseBeyond = outputReuseBeyond();
        for (int p = 0; p < policies.length; p++) {
            LoopAllocator.Result r = fixed[k][p];
            if (r == null) {
                r = allocator.allocate(null, prefix, k, n, policies[p], reuseBeyond, whole[p]);
                if (r != null && !r.open()) {
                    fixed[k][p] = r;
                }
            }
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

    /**
     * Every non-backing cut below the last loop has an operand-relevant loop between it and the end of the prefix, and
     * so has the MACs' link (cut 0) of every operand: the runs of irrelevant loops right above each cut are fixed.
     * (A cut at the last loop has none above it.)
     */
    private boolean runsClosed(java.util.Map<Operand, int[]> cuts, int k) {
        for (Operand op : w.operands()) {
            boolean macLink = false;
            for (int i = 0; i < k && !macLink; i++) {
                macLink = Relevance.relevant(op, types[order[i]].dim());
            }
            if (!macLink) {
                return false;
            }
            int[] c = cuts.get(op);
            for (int j = 0; j < c.length - 1; j++) {
                if (c[j] == n) {
                    continue;
                }
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
