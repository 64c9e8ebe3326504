package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.depthfirst.DepthFirst;
import org.edgenn.generator.mapping.depthfirst.StackCost;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * The last stage of the network schedule: depth-first stacks ({@link DepthFirst}) on top of the chosen fusion and
 * residency, each tile nest searched by the schedule's pass search on the capacity the stack leaves, the network
 * objective choosing among the stacks and the passes as they are.
 */
final class DepthFirstStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DepthFirstStage.class);

    private DepthFirstStage() {
    }

    static List<FusedStack> stacks(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h, List<LayerMapping> layers,
                                   List<NetworkSchedule.Pass> passes, List<NetworkSchedule.Resident> residents,
                                   Objective objective, SearchOptions options, NetworkScheduler.PassSearch search) {
        AcceleratorSpec a = h.spec();
        int top = h.levelCount() - 1;
        int n = passes.size();
        double[] energy = new double[n];
        double[] latency = new double[n];
        double[] dram = new double[n];
        long[] macs = new long[n];
        List<Set<Operand>> resident = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NetworkSchedule.Pass p = passes.get(i);
            LayerMapping m = layers.get(i);
            energy[i] = m.cost().energyPj() + p.fusedEnergyPj();
            latency[i] = m.cost().latencyCycles() + p.fusedCycles();
            dram[i] = m.cost().dramReadBytes() + m.cost().dramWriteBytes()
                    + p.extraReads().stream().filter(r -> r.level() == top).mapToDouble(NetworkSchedule.Read::bytes).sum();
            macs[i] = m.cost().macs() + p.fusedOps();
            resident.add(p.resident());
        }
        double fixedEnergy = residents.stream().mapToDouble(NetworkSchedule.Resident::loadEnergyPj).sum();
        double fixedLatency = residents.stream().mapToDouble(NetworkSchedule.Resident::loadCycles).sum();
        Map<String, Integer> residentLevel = new HashMap<>();
        List<StackCost.Held> held = new ArrayList<>();
        for (NetworkSchedule.Resident r : residents) {
            residentLevel.put(r.tensor(), r.level());
            WorkloadGraph.Tensor t = g.tensors().get(r.tensor());
            // a value produced on chip takes partial-sum width while its producer (its first pass) runs
            long passBytes = t.origin() == WorkloadGraph.Origin.PRODUCED
                    ? Residency.bytes(t.elements(), Math.max(t.bits(), groups.get(r.first()).workload().partialSumBits()))
                    : r.bytes();
            held.add(new StackCost.Held(r.tensor(), r.level(), r.first(), r.last(), r.bytes(), Math.max(passBytes, r.bytes())));
        }
        StackCost.Context ctx = new StackCost.Context(a, g, a.macEnergyPjOr(options.macEnergyPj()), residentLevel, held,
                resident);
        StackCost.TileSearch tiles = (tile, spec, res, index) -> {
            try {
                LayerMapping m = search.search(tile, spec, res, index, n);
                return new FusedStack.TileMapping(0, 0, 1, tile, m.cost(), m.objectiveValue());
            } catch (NoValidMappingException e) {
                return null;
            }
        };
        long start = System.nanoTime();
        DepthFirst.Result r = DepthFirst.plan(groups, h, ctx,
                new DepthFirst.Baseline(energy, latency, dram, macs, fixedEnergy, fixedLatency), tiles,
                DepthFirst.tileBound(a, ctx.macPj(), options.zigzagAllocation()), objective::value);
        LOG.debug("depth-first on {}: {} candidate stacks, {} (stack, tile) configurations that might gain, {} searched,"
                        + " {} gaining, {} chosen, {} ms", a.name(), r.candidates(), r.bounded(), r.costed(),
                r.evaluated().size(), r.chosen().size(), (System.nanoTime() - start) / 1_000_000);
        return r.chosen();
    }
}
