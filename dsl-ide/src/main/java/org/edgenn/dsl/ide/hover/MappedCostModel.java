package org.edgenn.dsl.ide.hover;

import com.google.inject.Singleton;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;

/**
 * Latency and energy from the mapper: the network is mapped onto the target exactly as {@code edgenn check} judges
 * its budgets ({@link BudgetCheck#quickMapping}: the network-level schedule, the quick deterministic search), once per
 * lowered network (lowering is cached per text version, so a new text maps again), and a hover sums what the nodes it
 * names cost in that schedule.
 *
 * <p>A node's share: its pass's mapping when it is a pass; an equal share of its pass's fused element-wise work when
 * it was fused into another layer's output stage; an equal share of each one-time load of a resident tensor it uses
 * (a tied weight loaded once serves every step). The shares of all nodes add up to the network's totals, so the
 * network hover and the budget verdict quote the same figure.
 */
@Singleton
public class MappedCostModel implements TargetCostModel {

    /** Keyed by the lowered network object: it lives as long as its text version. */
    private final Map<Network, Map<String, Optional<Map<String, Share>>>> shares =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** What one node costs in the network's schedule. */
    record Share(double cycles, double pj) {
        static Share add(Share a, Share b) {
            return new Share(a.cycles + b.cycles, a.pj + b.pj);
        }
    }

    @Override
    public Optional<Cost> estimate(Network network, AcceleratorSpec target, List<String> nodeNames) {
        Optional<Map<String, Share>> byNode = shares
                .computeIfAbsent(network, n -> Collections.synchronizedMap(new HashMap<>()))
                .computeIfAbsent(target.name(), t -> map(network, target).map(MappedCostModel::shares));
        if (byNode.isEmpty()) {
            return Optional.empty();
        }
        Set<String> wanted = new HashSet<>(nodeNames);
        double cycles = 0;
        double pj = 0;
        boolean any = false;
        for (Map.Entry<String, Share> e : byNode.get().entrySet()) {
            if (wanted.contains(e.getKey())) {
                cycles += e.getValue().cycles();
                pj += e.getValue().pj();
                any = true;
            }
        }
        return any ? Optional.of(new Cost(cycles / target.clockHz(), pj * 1e-12)) : Optional.empty();
    }

    private static Optional<NetworkMapping> map(Network network, AcceleratorSpec target) {
        try {
            return Optional.of(BudgetCheck.quickMapping(network, target));
        } catch (RuntimeException e) {
            return Optional.empty(); // no valid mapping (or a target the mapper rejects): the hover shows no cost
        }
    }

    /** Every node's share of the mapping's totals (see the class comment). */
    static Map<String, Share> shares(NetworkMapping mapping) {
        Map<String, Share> out = new HashMap<>();
        for (LayerMapping l : mapping.layers()) {
            out.merge(l.workload().name(), new Share(l.cost().latencyCycles(), l.cost().energyPj()), Share::add);
        }
        NetworkSchedule schedule = mapping.schedule();
        if (schedule == null) {
            return out;
        }
        for (NetworkSchedule.Pass p : schedule.passes()) {
            spread(out, p.fused().isEmpty() ? List.of(p.layer()) : p.fused(), p.fusedCycles(), p.fusedEnergyPj());
        }
        for (NetworkSchedule.Resident r : schedule.residents()) {
            spread(out, r.users().isEmpty() ? List.of(r.tensor()) : r.users(), r.loadCycles(), r.loadEnergyPj());
        }
        return out;
    }

    private static void spread(Map<String, Share> out, List<String> nodes, double cycles, double pj) {
        for (String n : nodes) {
            out.merge(n, new Share(cycles / nodes.size(), pj / nodes.size()), Share::add);
        }
    }
}
