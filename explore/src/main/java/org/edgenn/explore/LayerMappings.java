package org.edgenn.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.Workload;

/**
 * The mapping of a network, with each layer's search shared across candidates. The candidates of a family differ in
 * a few parameters, so the same layer shape meets the same accelerator over and over (LISTA's {@code S_k} on one
 * array for every depth, tied or untied): the mapper's search is deterministic, so a layer shape is searched once per
 * accelerator instance and search options, and every other occurrence reuses the result under its own name, as
 * {@link NetworkMapper} does for the copies within one network. The metrics are those of {@code NetworkMapper.map}.
 *
 * <p>The full search of the front repeats the screening's quick search wherever that search enumerated every loop
 * order: the two options differ only in the annealing's iterations and time budget, which an exhaustive search never
 * reads ({@code LayerSearch} decides exhaustive or annealing from the loop-order count and {@code exhaustiveLimit}
 * alone). So an exhaustive result is also stored under its options without those two knobs, and any search with such
 * options reuses it.
 */
final class LayerMappings {
    private record Key(AcceleratorSpec accelerator, String shape, SearchOptions options) {
    }

    // one per JVM (Spark executors have their own); a screening meets a few hundred distinct keys
    private static final Map<Key, LayerMapping> SEARCHED = new ConcurrentHashMap<>();

    private LayerMappings() {
    }

    /** Searches actually run (not reused) in this JVM: lets tests see that reuse happened. */
    static final java.util.concurrent.atomic.AtomicLong SEARCHES = new java.util.concurrent.atomic.AtomicLong();

    static NetworkMapping map(List<Workload> layers, AcceleratorSpec accelerator, SearchOptions options) {
        long start = System.nanoTime();
        List<LayerMapping> out = new ArrayList<>();
        for (Workload w : layers) {
            Key key = new Key(accelerator, w.shapeKey(), options);
            Key exhaustiveKey = new Key(accelerator, w.shapeKey(), withoutAnnealing(options));
            LayerMapping found = SEARCHED.get(key);
            if (found == null) {
                found = SEARCHED.get(exhaustiveKey);
            }
            if (found == null) {
                // not computeIfAbsent: a search takes long, and another thread's different key must not wait for it
                found = NetworkMapper.mapLayer(w, accelerator, Objective.EDP, options, ProgressListener.NONE);
                SEARCHES.incrementAndGet();
                SEARCHED.putIfAbsent(key, found);
                if ("exhaustive".equals(found.strategy()) && !options.zigzagAllocation()) {
                    SEARCHED.putIfAbsent(exhaustiveKey, found);
                }
            }
            out.add(found.workload() == w ? found : NetworkMapper.renamed(found, w));
        }
        return new NetworkMapping(accelerator, Objective.EDP, options, out, (System.nanoTime() - start) / 1_000_000);
    }

    /** The options with the knobs only annealing reads set to fixed values. */
    private static SearchOptions withoutAnnealing(SearchOptions o) {
        return o.withAnnealIterations(1).withLayerBudget(java.time.Duration.ZERO);
    }
}
