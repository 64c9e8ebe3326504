package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.edgenn.generator.mapping.search.LayerSearch;
import org.edgenn.generator.mapping.search.LoopFactorizer;
import org.edgenn.generator.mapping.search.SpatialMappingGenerator;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the mapper: maps every layer of a network on an accelerator.
 *
 * <pre>{@code
 * NetworkMapping nm = NetworkMapper.map(workloads, spec, Objective.EDP, SearchOptions.defaults(), p -> {});
 * MappingTables.write(nm, Path.of("out"), "ResNet18");
 * }</pre>
 *
 * Layers with the same shape (equal {@link Workload#shapeKey()}) are searched once; the copy keeps its own
 * name and reports 0 search time.
 */
public final class NetworkMapper {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkMapper.class);

    private NetworkMapper() {
    }

    /**
     * @throws org.edgenn.runtime.cost.InvalidAcceleratorException if the accelerator breaks a hierarchy rule
     * @throws NoValidMappingException if some layer has no mapping that fits
     */
    public static NetworkMapping map(List<Workload> layers, AcceleratorSpec accelerator, Objective objective,
                                     SearchOptions options, ProgressListener listener) {
        long start = System.nanoTime();
        CostModel model = new CostModel(MemoryHierarchy.of(accelerator), accelerator.macEnergyPjOr(options.macEnergyPj()))
                .withZigZagRules(options.zigzagAllocation());
        ProgressListener serial = p -> {
            synchronized (listener) { // layers may be searched in parallel; listeners need not be thread-safe
                listener.onProgress(p);
            }
        };
        // first occurrence of every shape is searched (in parallel), copies reuse its result
        Map<String, Future<LayerMapping>> byShape = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), Math.max(1, layers.size())));
        try {
            for (int i = 0; i < layers.size(); i++) {
                Workload w = layers.get(i);
                int index = i;
                byShape.computeIfAbsent(w.shapeKey(), k -> pool.submit(
                        () -> searchLayer(w, model, objective, options, serial, index, layers.size())));
            }
            List<LayerMapping> out = new ArrayList<>();
            for (Workload w : layers) {
                LayerMapping found = join(byShape.get(w.shapeKey()));
                if (found.workload().name().equals(w.name()) && found.workload() == w) {
                    LOG.debug("mapped {} in {} ms ({} mappings, {})", w.name(), found.searchMillis(),
                            found.evaluated(), found.strategy());
                    out.add(found);
                } else {
                    out.add(renamed(found, w));
                }
            }
            return new NetworkMapping(accelerator, objective, options, out, (System.nanoTime() - start) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    /** LOMA's default {@code lpf_limit}: the loop granularity ZigZag searches. */
    static final int ZIGZAG_LOOP_LIMIT = 6;

    /**
     * One layer's search. For ZigZag ({@link SearchOptions#zigzagAllocation()}) also at LOMA's coarser loop
     * granularity, keeping the better: ZigZag's greedy allocator is not monotone in granularity. A loop split finer
     * (C 16 x 16 instead of C 256) offers a cut the coarse loop forbids, and the allocator, taking the larger cut at
     * equal traffic, then fills a larger first tile (8 k more onloading cycles on a 3x3 512-channel layer of
     * meta_prototype), so the finer space does not contain LOMA's mappings.
     */
    public static LayerMapping searchLayer(Workload w, CostModel model, Objective objective, SearchOptions options,
                                    ProgressListener listener, int index, int count) {
        LayerMapping fine = LayerSearch.search(w, model, objective, options, listener, index, count);
        if (!options.zigzagAllocation() || options.loopLimit() <= ZIGZAG_LOOP_LIMIT
                || sameLoops(w, model, options)) {
            return fine;
        }
        // the coarse pass searches the fine pass's unrolling too instead of screening every unrolling again
        LayerMapping coarse = LayerSearch.search(w, model, objective, options.withLoopLimit(ZIGZAG_LOOP_LIMIT),
                listener, index, count, List.of(fine.cost().mapping().spatial()));
        LayerMapping best = better(coarse, fine) ? coarse : fine;
        return new LayerMapping(best.workload(), best.cost(), best.objectiveValue(),
                fine.provenOptimal() && coarse.provenOptimal(), best.strategy(), fine.evaluated() + coarse.evaluated(),
                fine.searchMillis() + coarse.searchMillis());
    }

    /** Whether both granularities give the same loops under every spatial unrolling searched (then one pass). */
    private static boolean sameLoops(Workload w, CostModel model, SearchOptions options) {
        List<SpatialMapping> all = SpatialMappingGenerator.generate(w, model.hierarchy());
        int kept = options.spatialCandidates() == 0 ? all.size() : Math.min(all.size(), options.spatialCandidates());
        for (SpatialMapping s : all.subList(0, kept)) {
            if (!LoopFactorizer.loops(w, s, options.loopLimit()).equals(LoopFactorizer.loops(w, s, ZIGZAG_LOOP_LIMIT))) {
                return false;
            }
        }
        return true;
    }

    /** Strictly better: objective, then energy, then latency, then the mapping's text (deterministic). */
    private static boolean better(LayerMapping a, LayerMapping b) {
        int c = Double.compare(a.objectiveValue(), b.objectiveValue());
        if (c == 0) {
            c = Double.compare(a.cost().energyPj(), b.cost().energyPj());
        }
        if (c == 0) {
            c = Double.compare(a.cost().latencyCycles(), b.cost().latencyCycles());
        }
        if (c == 0) {
            c = a.cost().mapping().toString().compareTo(b.cost().mapping().toString());
        }
        return c < 0;
    }

    private static LayerMapping join(Future<LayerMapping> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("mapping interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // typed errors (NoValidMappingException, ...) reach the caller unchanged
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Map one layer. */
    public static LayerMapping mapLayer(Workload layer, AcceleratorSpec accelerator, Objective objective,
                                        SearchOptions options, ProgressListener listener) {
        return map(List.of(layer), accelerator, objective, options, listener).layers().get(0);
    }

    /** {@code m}, the mapping of a layer of the same shape, as the mapping of {@code w} (its name; 0 search time). */
    public static LayerMapping renamed(LayerMapping m, Workload w) {
        CostResult c = m.cost();
        CostResult r = new CostResult(w.name(), c.mapping(), c.counts(), c.levelEnergyPj(), c.macEnergyPj(),
                c.energyPj(), c.macs(), c.paddedMacs(), c.computeCycles(), c.levelCycles(), c.onloadCycles(),
                c.offloadCycles(), c.latencyCycles(), c.spatialUtilization(), c.utilization(), c.dramReadBytes(),
                c.dramWriteBytes(), c.effectiveMacs());
        return new LayerMapping(w, r, m.objectiveValue(), m.provenOptimal(), m.strategy(), 0, 0);
    }
}
