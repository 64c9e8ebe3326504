package org.edgenn.dsl.ide.hover;

import com.google.inject.Singleton;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;

/**
 * Latency and energy from the mapper: the network is mapped onto the target with the quick,
 * deterministic search that {@code edgenn check} uses, once per lowered network (lowering is
 * cached per text version, so a new text maps again), and a hover sums the layers it names.
 */
@Singleton
public class MappedCostModel implements TargetCostModel {

    /** Keyed by the lowered network object: it lives as long as its text version. */
    private final Map<Network, Map<String, NetworkMapping>> mappings = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public Optional<Cost> estimate(Network network, AcceleratorSpec target, List<String> nodeNames) {
        NetworkMapping mapping = mappings.computeIfAbsent(network, n -> Collections.synchronizedMap(new java.util.HashMap<>()))
                .computeIfAbsent(target.name(), t -> map(network, target));
        if (mapping == null) {
            return Optional.empty();
        }
        Set<String> wanted = new HashSet<>(nodeNames);
        double cycles = 0;
        double pj = 0;
        boolean any = false;
        for (LayerMapping l : mapping.layers()) {
            if (wanted.contains(l.workload().name())) {
                cycles += l.cost().latencyCycles();
                pj += l.cost().energyPj();
                any = true;
            }
        }
        return any ? Optional.of(new Cost(cycles / target.clockHz(), pj * 1e-12)) : Optional.empty();
    }

    private static NetworkMapping map(Network network, AcceleratorSpec target) {
        try {
            return NetworkMapper.map(IrWorkloads.of(network, target), target, Objective.EDP, SearchOptions.quick(),
                    ProgressListener.NONE);
        } catch (RuntimeException e) {
            return null; // no valid mapping (or a target the mapper rejects): the hover shows no cost
        }
    }
}
