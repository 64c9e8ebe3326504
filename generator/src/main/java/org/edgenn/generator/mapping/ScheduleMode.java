package org.edgenn.generator.mapping;

import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;

/**
 * How a network is scheduled on an accelerator: as a whole ({@link #NETWORK}, the default: element-wise ops fused
 * into their producers, tied weights, states and intermediates kept on chip where they fit, {@link NetworkScheduler})
 * or {@link #LAYER_BY_LAYER} (every layer and element-wise op a pass of its own through the backing store, each
 * mapped alone: the view of earlier versions, kept for comparison).
 */
public enum ScheduleMode {
    NETWORK, LAYER_BY_LAYER;

    /** {@code network} or {@code layer-by-layer} (the CLI's spelling). */
    public String spelling() {
        return this == NETWORK ? "network" : "layer-by-layer";
    }

    /** Maps a network's workload graph in this mode; {@code compare}: a network schedule also reports the layer-by-layer totals. */
    public NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                              ProgressListener listener, boolean compare) {
        return this == NETWORK
                ? NetworkScheduler.map(g, accelerator, objective, options, listener, compare)
                : NetworkMapper.map(g.workloads(), accelerator, objective, options, listener);
    }
}
