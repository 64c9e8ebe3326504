package org.edgenn.generator.mapping;

import java.util.List;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.AcceleratorSpec;

/**
 * The mapping of a whole network: one {@link LayerMapping} per pass, in network order, and totals
 * (passes run one after another, so energies, cycles and DRAM bytes add up).
 *
 * <p>Layer by layer ({@code schedule == null}) every layer and element-wise op is a pass of its own that reads its
 * inputs from and writes its outputs to the backing store. With a network {@link NetworkSchedule} the passes are the
 * layers with element-wise ops fused into their output stage, some operands stay resident on chip between passes
 * (their mappings are costed with an idle backing-store link), and the totals add the fused ops and the one-time
 * loads of resident tensors.
 */
public record NetworkMapping(AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                             List<LayerMapping> layers, long searchMillis, NetworkSchedule schedule) {
    public NetworkMapping {
        layers = List.copyOf(layers);
    }

    /** Layer by layer: every layer a pass of its own, every tensor through the backing store. */
    public NetworkMapping(AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                          List<LayerMapping> layers, long searchMillis) {
        this(accelerator, objective, options, layers, searchMillis, null);
    }

    public double totalEnergyPj() {
        return layers.stream().mapToDouble(l -> l.cost().energyPj()).sum()
                + (schedule == null ? 0 : schedule.extraEnergyPj());
    }

    public double totalLatencyCycles() {
        return layers.stream().mapToDouble(l -> l.cost().latencyCycles()).sum()
                + (schedule == null ? 0 : schedule.extraCycles());
    }

    public double totalLatencySeconds() {
        return totalLatencyCycles() / accelerator.clockHz();
    }

    /** MACs and element-wise operations, fused ones included. */
    public long totalMacs() {
        return layers.stream().mapToLong(l -> l.cost().macs()).sum()
                + (schedule == null ? 0 : schedule.extraMacs());
    }

    public double totalDramBytes() {
        return layers.stream().mapToDouble(l -> l.cost().dramReadBytes() + l.cost().dramWriteBytes()).sum()
                + (schedule == null ? 0 : schedule.extraDramBytes(accelerator.memories().size() - 1));
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
