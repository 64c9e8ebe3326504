package org.edgenn.runtime.cost;

import java.util.List;

/**
 * Everything the cost model says about one (layer, mapping, accelerator). Energies in picojoules,
 * times in clock cycles. {@code levelEnergyPj} and {@code levelCycles} are indexed like the
 * accelerator's memory list.
 *
 * @param macs            MACs (or ops) of the unpadded layer
 * @param paddedMacs      MACs executed, including padded iterations of imperfect factorizations
 * @param computeCycles   temporal iterations: cycles without any memory stall
 * @param levelCycles     cycles each memory instance needs for its traffic at its bandwidth
 * @param latencyCycles   {@code max(compute, all levelCycles) + onload + offload}
 * @param spatialUtilization used PEs / all PEs
 * @param utilization     macs / (latency * all PEs)
 * @param effectiveMacs   MACs that do work: {@code macs} on dense hardware, the non-zero weights' share where the
 *                        hardware gates or skips zeros
 */
public record CostResult(String layer, Mapping mapping, AccessCounts counts, List<Double> levelEnergyPj,
                         double macEnergyPj, double energyPj, long macs, long paddedMacs, long computeCycles,
                         List<Double> levelCycles, double onloadCycles, double offloadCycles,
                         double latencyCycles, double spatialUtilization, double utilization,
                         double dramReadBytes, double dramWriteBytes, long effectiveMacs) {
    public CostResult {
        levelEnergyPj = List.copyOf(levelEnergyPj);
        levelCycles = List.copyOf(levelCycles);
    }

    /** Energy-delay product in pJ x cycles. */
    public double edp() {
        return energyPj * latencyCycles;
    }

    /** Cycles lost to bandwidth stalls and on/off-loading. */
    public double stallCycles() {
        return latencyCycles - computeCycles;
    }
}
