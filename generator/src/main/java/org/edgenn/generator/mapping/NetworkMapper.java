package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.search.LayerSearch;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MemoryHierarchy;
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
        CostModel model = new CostModel(MemoryHierarchy.of(accelerator), options.macEnergyPj());
        Map<String, LayerMapping> byShape = new HashMap<>();
        List<LayerMapping> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Workload w = layers.get(i);
            LayerMapping found = byShape.get(w.shapeKey());
            if (found == null) {
                found = LayerSearch.search(w, model, objective, options, listener, i, layers.size());
                byShape.put(w.shapeKey(), found);
                LOG.debug("mapped {} in {} ms ({} mappings, {})", w.name(), found.searchMillis(), found.evaluated(),
                        found.strategy());
                out.add(found);
            } else {
                out.add(renamed(found, w));
            }
        }
        return new NetworkMapping(accelerator, objective, options, out, (System.nanoTime() - start) / 1_000_000);
    }

    /** Map one layer. */
    public static LayerMapping mapLayer(Workload layer, AcceleratorSpec accelerator, Objective objective,
                                        SearchOptions options, ProgressListener listener) {
        return map(List.of(layer), accelerator, objective, options, listener).layers().get(0);
    }

    private static LayerMapping renamed(LayerMapping m, Workload w) {
        CostResult c = m.cost();
        CostResult r = new CostResult(w.name(), c.mapping(), c.counts(), c.levelEnergyPj(), c.macEnergyPj(),
                c.energyPj(), c.macs(), c.paddedMacs(), c.computeCycles(), c.levelCycles(), c.onloadCycles(),
                c.offloadCycles(), c.latencyCycles(), c.spatialUtilization(), c.utilization(), c.dramReadBytes(),
                c.dramWriteBytes());
        return new LayerMapping(w, r, m.objectiveValue(), m.provenOptimal(), m.strategy(), 0, 0);
    }
}
