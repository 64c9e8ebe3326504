package org.edgenn.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.edgenn.generator.mapping.LayerMapping;
import java.util.Set;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkScheduler;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
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
    private record Key(AcceleratorSpec accelerator, String shape, SearchOptions options, Set<Operand> resident) {
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
            LayerMapping found = cached(accelerator, w, options, Set.of(),
                    () -> NetworkMapper.mapLayer(w, accelerator, Objective.EDP, options, ProgressListener.NONE));
            out.add(found.workload() == w ? found : NetworkMapper.renamed(found, w));
        }
        return new NetworkMapping(accelerator, Objective.EDP, options, out, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The network schedule of a candidate ({@link NetworkScheduler}: fusion, tied weights and states kept on chip), each
     * pass's search shared across candidates like a layer's: keyed by the capacity the residents leave (the accelerator
     * with smaller memories) and the resident operands.
     */
    static NetworkMapping map(WorkloadGraph graph, AcceleratorSpec accelerator, SearchOptions options) {
        double macPj = accelerator.macEnergyPjOr(options.macEnergyPj());
        NetworkScheduler.PassSearch search = (w, spec, resident, index, count) -> {
            LayerMapping found = cached(spec, w, options, Set.copyOf(resident), () -> NetworkMapper.searchLayer(w,
                    new CostModel(MemoryHierarchy.of(spec), macPj).withResident(resident), Objective.EDP, options,
                    ProgressListener.NONE, index, count));
            return found.workload() == w ? found : NetworkMapper.renamed(found, w);
        };
        return NetworkScheduler.map(graph, accelerator, Objective.EDP, options, false, search, ProgressListener.NONE);
    }

    // whole network mappings, keyed by what they are a function of (the exploration's text, the network binding, the
    // accelerator, the options, the schedule): a candidate's capacity repair maps its smaller siblings, which are
    // candidates of their own
    private static final Map<Object, NetworkMapping> NETWORKS = new ConcurrentHashMap<>();

    /** Forgets every search and network mapping (tests: a fresh JVM's state, to show the results do not depend on it). */
    static void forgetForTests() {
        SEARCHED.clear();
        NETWORKS.clear();
    }

    /** The network mapping of {@code key}, computed once per JVM (not under a lock: see {@link #cached}). */
    static NetworkMapping network(Object key, java.util.function.Supplier<NetworkMapping> map) {
        NetworkMapping found = NETWORKS.get(key);
        if (found == null) {
            found = map.get();
            NETWORKS.putIfAbsent(key, found);
        }
        return found;
    }

    /**
     * The search of {@code w}'s shape on {@code spec} with {@code resident} operands kept on chip, run once per JVM: an
     * earlier result under the same options, or under any options when that search was exhaustive.
     */
    private static LayerMapping cached(AcceleratorSpec spec, Workload w, SearchOptions options, Set<Operand> resident,
                                       java.util.function.Supplier<LayerMapping> search) {
        Key key = new Key(spec, w.shapeKey(), options, resident);
        Key exhaustiveKey = new Key(spec, w.shapeKey(), withoutAnnealing(options), resident);
        LayerMapping found = SEARCHED.get(key);
        if (found == null) {
            found = SEARCHED.get(exhaustiveKey);
        }
        if (found == null) {
            // not computeIfAbsent: a search takes long, and another thread's different key must not wait for it
            found = search.get();
            SEARCHES.incrementAndGet();
            SEARCHED.putIfAbsent(key, found);
            if ("exhaustive".equals(found.strategy()) && !options.zigzagAllocation()) {
                SEARCHED.putIfAbsent(exhaustiveKey, found);
            }
        }
        return found;
    }

    /** The options with the knobs only annealing reads set to fixed values. */
    private static SearchOptions withoutAnnealing(SearchOptions o) {
        return o.withAnnealIterations(1).withLayerBudget(java.time.Duration.ZERO);
    }
}
