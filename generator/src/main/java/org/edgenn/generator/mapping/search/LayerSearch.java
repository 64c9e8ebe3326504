package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * The search for one layer, as a chain of small stages:
 * <pre>
 *   SpatialMappingGenerator  -> spatial unrollings, best utilization first (optionally the top k)
 *   LoopFactorizer           -> the temporal loops left for each unrolling
 *   LowerBound               -> sort unrollings by bound; skip any whose bound exceeds the best found
 *   ExhaustiveSearch | AnnealingSearch -> loop orders -> LoopAllocator cuts -> CostModel   (Evaluator)
 *   screening                -> objective energy, AUTO: the unrollings left out by utilization, a short annealing
 *                               run each (bound-pruned), the best few then longer (successive halving)
 *   Candidate.ORDER          -> reduce to one mapping with deterministic tie-breaks
 *   CutTrim                  -> the winner's cuts lowered to smaller tiles moving the same traffic, if that improves it
 * </pre>
 */
public final class LayerSearch {
    private LayerSearch() {
    }

    private record Unrolling(SpatialMapping spatial, List<Loop> loops, long orders, double bound, int rank) {
    }

    /**
     * Screening rounds (successive halving): round r gives each unrolling still in play {@code annealIterations /
     * SCREEN_DIVISORS[r]} annealing steps, and the best {@code SCREEN_KEEP[r]} of them go on to the next round.
     */
    static final int[] SCREEN_DIVISORS = {30, 5, 1};
    static final int[] SCREEN_KEEP = {6, 2, 0};
    /** Unrollings left out by utilization whose order space is at most this many orders are enumerated, not screened. */
    static final long SCREEN_ENUMERATE = 720;

    public static LayerMapping search(Workload w, CostModel model, Objective objective, SearchOptions options,
                                      ProgressListener listener, int layerIndex, int layerCount) {
        return search(w, model, objective, options, listener, layerIndex, layerCount, List.of());
    }

    /**
     * {@code also}: unrollings to search like the kept ones, without the screening of the others (a second pass that
     * already knows which unrolling won the first; an unrolling this layer does not generate is ignored).
     */
    public static LayerMapping search(Workload w, CostModel model, Objective objective, SearchOptions options,
                                      ProgressListener listener, int layerIndex, int layerCount,
                                      List<SpatialMapping> also) {
        return search(w, model, objective, options, listener, layerIndex, layerCount, also, true);
    }

    /**
     * {@code trim}: apply the final {@link CutTrim} stage (off only for tests comparing the search proper with a brute
     * force over the same allocation space).
     */
    static LayerMapping search(Workload w, CostModel model, Objective objective, SearchOptions options,
                               ProgressListener listener, int layerIndex, int layerCount,
                               List<SpatialMapping> also, boolean trim) {
        long start = System.nanoTime();
        long deadline = start + options.layerBudget().toNanos();
        // stage 1: spatial unrollings
        List<SpatialMapping> all = SpatialMappingGenerator.generate(w, model.hierarchy());
        boolean allSpatial = options.spatialCandidates() == 0 || options.spatialCandidates() >= all.size();
        List<SpatialMapping> kept = allSpatial ? all : all.subList(0, options.spatialCandidates());
        if (!allSpatial && !also.isEmpty()) {
            kept = new ArrayList<>(kept);
            for (SpatialMapping s : also) {
                if (all.contains(s) && !kept.contains(s)) {
                    kept.add(s);
                }
            }
        }
        // stage 2a + bound
        List<Unrolling> unrollings = new ArrayList<>();
        long totalOrders = 0;
        for (int i = 0; i < kept.size(); i++) {
            SpatialMapping s = kept.get(i);
            List<Loop> loops = LoopFactorizer.loops(w, s, options.loopLimit());
            long orders = ExhaustiveSearch.orderCount(loops);
            totalOrders = sat(totalOrders + orders);
            unrollings.add(new Unrolling(s, loops, orders,
                    LowerBound.of(w, model.hierarchy(), s, model, objective), i));
        }
        unrollings.sort(Comparator.comparingDouble(Unrolling::bound).thenComparingInt(Unrolling::rank));
        boolean exhaustiveAll = options.strategy() == SearchOptions.Strategy.EXHAUSTIVE
                || (options.strategy() == SearchOptions.Strategy.AUTO && totalOrders <= options.exhaustiveLimit());
        Evaluator ev = options.zigzagAllocation()
                ? new Evaluator(w, model, objective, java.util.EnumSet.of(LoopAllocator.Policy.MIN_TRAFFIC))
                : new Evaluator(w, model, objective);
        boolean proven = allSpatial;
        boolean annealed = false;
        boolean enumerated = false;
        long perUnrollingLimit = Math.max(1, options.exhaustiveLimit() / Math.max(1, unrollings.size()));
        for (int u = 0; u < unrollings.size(); u++) {
            Unrolling un = unrollings.get(u);
            if (ev.best() != null && un.bound() > ev.best().objective()) {
                continue; // sound: no order of this unrolling can beat the best found
            }
            double base = u / (double) unrollings.size();
            double share = 1.0 / unrollings.size();
            boolean exhaustive = options.strategy() != SearchOptions.Strategy.ANNEALING
                    && (exhaustiveAll || un.orders() <= perUnrollingLimit);
            if (exhaustive) {
                enumerated = true;
                long orders = un.orders();
                new ExhaustiveSearch(ev, un.spatial(), un.loops(), n -> {
                    if ((n & 1023) == 0) { // throttled: progress is for humans
                        report(listener, w, layerIndex, layerCount, base + share * Math.min(1.0, n / (double) orders), ev);
                    }
                }).run();
            } else {
                annealed = true;
                proven = false;
                int iterations = options.annealIterations();
                long seed = options.seed() * 31 + u;
                new AnnealingSearch(ev, un.spatial(), un.loops(), seed).run(iterations, deadline,
                        it -> {
                            if ((it & 1023) == 0) {
                                report(listener, w, layerIndex, layerCount, base + share * it / iterations, ev);
                            }
                        });
            }
        }
        // utilization ranks unrollings by their latency; for energy alone it is a poor guide, so the others are screened
        if (!allSpatial && also.isEmpty() && options.strategy() == SearchOptions.Strategy.AUTO
                && objective.equals(Objective.ENERGY)) {
            annealed |= screen(w, model, objective, options, rest(all, kept), ev, deadline);
        }
        if (ev.best() == null) {
            throw new NoValidMappingException(w.name(), model.hierarchy().spec().name(),
                    NoFit.explain(w, model.hierarchy(), kept, ev.evaluated()));
        }
        // stage 5: equal-traffic trims of the winner's cuts (never under ZigZag's allocation: the referee cuts its way)
        Candidate winner = trim && !options.zigzagAllocation() ? CutTrim.refine(w, model, objective, ev.best())
                : ev.best();
        ev.offer(winner);
        report(listener, w, layerIndex, layerCount, 1.0, ev);
        String strategy = annealed && enumerated ? "mixed" : annealed ? "annealing" : "exhaustive";
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new LayerMapping(w, winner.result(), winner.objective(), proven, strategy, ev.evaluated(), millis);
    }

    /**
     * The unrollings that utilization ranked below the kept ones. The best unrolling for energy is often not among
     * the fullest: on ZigZag's generic_array_cacti (per-PE input registers) an output-channel unrolling of an
     * eighth of the layer's channels makes fewer copies of the inputs than the full one, and K iterated in time
     * reuses them from the register. Each one whose lower bound does not exceed the best found gets a short
     * annealing run (or its whole order space when that is small), the best of them longer runs, and the best two
     * a full run ({@link #SCREEN_DIVISORS}), each with a new seed. Only adds candidates: the kept unrollings' search is unchanged, so the result is
     * never worse. Only for the energy objective: for latency and EDP utilization is the right ranking (and the
     * exploration's and the checks' searches, all EDP, keep their cost). Returns whether it annealed.
     */
    private static boolean screen(Workload w, CostModel model, Objective objective, SearchOptions options,
                                  List<SpatialMapping> rest, Evaluator ev, long deadline) {
        List<Unrolling> others = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            SpatialMapping s = rest.get(i);
            List<Loop> loops = LoopFactorizer.loops(w, s, options.loopLimit());
            others.add(new Unrolling(s, loops, ExhaustiveSearch.orderCount(loops),
                    LowerBound.of(w, model.hierarchy(), s, model, objective), i));
        }
        others.sort(Comparator.comparingDouble(Unrolling::bound).thenComparingInt(Unrolling::rank));
        List<Integer> inPlay = new ArrayList<>();
        boolean annealed = false;
        for (int u = 0; u < others.size(); u++) {
            Unrolling un = others.get(u);
            if (ev.best() != null && un.bound() > ev.best().objective()) {
                continue; // sound: no order of this unrolling can beat the best found
            }
            if (un.orders() <= SCREEN_ENUMERATE) {
                new ExhaustiveSearch(ev, un.spatial(), un.loops(), n -> { }).run();
            } else {
                inPlay.add(u);
            }
        }
        for (int r = 0; r < SCREEN_DIVISORS.length && !inPlay.isEmpty(); r++) {
            int iterations = Math.max(1, options.annealIterations() / SCREEN_DIVISORS[r]);
            List<double[]> reached = new ArrayList<>(); // {best objective of the run, index in others}
            for (int u : inPlay) {
                Unrolling un = others.get(u);
                if (System.nanoTime() > deadline || (ev.best() != null && un.bound() > ev.best().objective())) {
                    continue;
                }
                annealed = true;
                AnnealingSearch search = new AnnealingSearch(ev, un.spatial(), un.loops(),
                        options.seed() * 31 + 1_000 * (r + 1) + u);
                if (r == 0 && ev.best() != null) {
                    search.startingFrom(transplant(ev.best().result().mapping().temporal(), un.loops()));
                }
                double got = search.run(iterations, deadline, it -> { });
                if (got < Double.POSITIVE_INFINITY) {
                    reached.add(new double[] {got, u});
                }
            }
            reached.sort(Comparator.comparingDouble((double[] x) -> x[0]).thenComparingDouble(x -> x[1]));
            inPlay = new ArrayList<>();
            for (int j = 0; j < Math.min(SCREEN_KEEP[r], reached.size()); j++) {
                inPlay.add((int) reached.get(j)[1]);
            }
        }
        return annealed;
    }

    

    /**
     * {@code loops} (another unrolling's) in the order of {@code best}'s dimensions: the i-th smallest loop of a
     * dimension takes the place of that dimension's i-th loop in {@code best} (the last one when it has fewer; the end
     * when it has none), so the screening of an unrolling starts from the structure that won so far (which operand
     * stays put innermost, which reuse is kept where).
     */
    static List<Loop> transplant(List<Loop> best, List<Loop> loops) {
        List<Loop> sorted = new ArrayList<>(loops);
        sorted.sort(Comparator.comparingInt(Loop::factor));
        java.util.Map<org.edgenn.ir.accel.LoopDim, Integer> seen = new java.util.EnumMap<>(org.edgenn.ir.accel.LoopDim.class);
        List<double[]> keyed = new ArrayList<>(); // {place, index in sorted}
        for (int i = 0; i < sorted.size(); i++) {
            Loop l = sorted.get(i);
            int k = seen.merge(l.dim(), 1, Integer::sum) - 1;
            int place = best.size();
            int count = 0;
            for (int p = 0; p < best.size(); p++) {
                if (best.get(p).dim() == l.dim()) {
                    place = p;
                    if (count++ == k) {
                        break;
                    }
                }
            }
            keyed.add(new double[] {place + i * 1e-6, i});
        }
        keyed.sort(Comparator.comparingDouble(x -> x[0]));
        List<Loop> out = new ArrayList<>();
        for (double[] x : keyed) {
            out.add(sorted.get((int) x[1]));
        }
        return out;
    }

    private static List<SpatialMapping> rest(List<SpatialMapping> all, List<SpatialMapping> kept) {
        List<SpatialMapping> rest = new ArrayList<>(all);
        rest.removeAll(kept);
        return rest;
    }

    private static void report(ProgressListener l, Workload w, int index, int count, double fraction, Evaluator ev) {
        l.onProgress(new ProgressListener.SearchProgress(w.name(), index, count, fraction, ev.evaluated(),
                ev.best() == null ? Double.POSITIVE_INFINITY : ev.best().objective()));
    }

    private static long sat(long v) {
        return v < 0 ? Long.MAX_VALUE : v;
    }
}
