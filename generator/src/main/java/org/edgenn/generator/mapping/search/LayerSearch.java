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
 *   Candidate.ORDER          -> reduce to one mapping with deterministic tie-breaks
 * </pre>
 */
public final class LayerSearch {
    private LayerSearch() {
    }

    private record Unrolling(SpatialMapping spatial, List<Loop> loops, long orders, double bound, int rank) {
    }

    public static LayerMapping search(Workload w, CostModel model, Objective objective, SearchOptions options,
                                      ProgressListener listener, int layerIndex, int layerCount) {
        long start = System.nanoTime();
        long deadline = start + options.layerBudget().toNanos();
        // stage 1: spatial unrollings
        List<SpatialMapping> all = SpatialMappingGenerator.generate(w, model.hierarchy());
        boolean allSpatial = options.spatialCandidates() == 0 || options.spatialCandidates() >= all.size();
        List<SpatialMapping> kept = allSpatial ? all : all.subList(0, options.spatialCandidates());
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
        if (ev.best() == null) {
            throw new NoValidMappingException(w.name(), model.hierarchy().spec().name(),
                    NoFit.explain(w, model.hierarchy(), kept, ev.evaluated()));
        }
        report(listener, w, layerIndex, layerCount, 1.0, ev);
        String strategy = annealed && enumerated ? "mixed" : annealed ? "annealing" : "exhaustive";
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new LayerMapping(w, ev.best().result(), ev.best().objective(), proven, strategy, ev.evaluated(),
                millis);
    }

    private static void report(ProgressListener l, Workload w, int index, int count, double fraction, Evaluator ev) {
        l.onProgress(new ProgressListener.SearchProgress(w.name(), index, count, fraction, ev.evaluated(),
                ev.best() == null ? Double.POSITIVE_INFINITY : ev.best().objective()));
    }

    private static long sat(long v) {
        return v < 0 ? Long.MAX_VALUE : v;
    }
}
