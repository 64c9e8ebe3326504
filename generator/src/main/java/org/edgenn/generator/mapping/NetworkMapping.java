package org.edgenn.generator.mapping;

import java.util.List;
import org.edgenn.ir.accel.AcceleratorSpec;

/**
 * The mapping of a whole network: one {@link LayerMapping} per layer, in network order, and totals
 * (layers run one after another, so energies, cycles and DRAM bytes add up).
 */
public record NetworkMapping(AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                             List<LayerMapping> layers, long searchMillis) {
    public NetworkMapping {
        layers = List.copyOf(layers);
    }

    public double totalEnergyPj() {
        return layers.stream().mapToDouble(l -> l.cost().energyPj()).sum();
    }

    public double totalLatencyCycles() {
        return layers.stream().mapToDouble(l -> l.cost().latencyCycles()).sum();
    }

    public double totalLatencySeconds() {
        return totalLatencyCycles() / accelerator.clockHz();
    }

    public long totalMacs() {
        return layers.stream().mapToLong(l -> l.cost().macs()).sum();
    }

    public double totalDramBytes() {
        return layers.stream().mapToDouble(l -> l.cost().dramReadBytes() + l.cost().dramWriteBytes()).sum();
    }

    /** MACs over (total latency x PEs); 0 for an empty network (JSON has no NaN). */
    public double utilization() {
        double cycles = totalLatencyCycles();
        return cycles == 0 ? 0 : totalMacs() / (cycles * accelerator.peCount());
    }

    /** The objective evaluated on the network totals. */
    public double objectiveValue() {
        return objective.value(totalEnergyPj(), totalLatencyCycles());
    }

    /** True when every layer's mapping is the proven optimum of its search space. */
    public boolean provenOptimal() {
        return layers.stream().allMatch(LayerMapping::provenOptimal);
    }
}
