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
    NETWORK, LAYER_BY_LAYER,
    /**
     * The network schedule plus depth-first stacks: consecutive convolutions/pooling run tile by tile with their
     * intermediates on chip where the objective gains ({@code depthfirst}); the default of {@code edgenn map}. It maps
     * every candidate stack's tile nests, so the quick stages (editor, build tools, check, explore) use {@link #NETWORK}.
     */
    DEPTH_FIRST;

    /** {@code network}, {@code layer-by-layer} or {@code depth-first} (the CLI's spelling). */
    public String spelling() {
        return switch (this) {
            case NETWORK -> "network";
            case LAYER_BY_LAYER -> "layer-by-layer";
            case DEPTH_FIRST -> "depth-first";
        };
    }

    /** Maps a network's workload graph in this mode; {@code compare}: a network schedule also reports the layer-by-layer totals. */
    public NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                              ProgressListener listener, boolean compare) {
        return this == LAYER_BY_LAYER
                ? NetworkMapper.map(g.workloads(), accelerator, objective, options, listener)
                : NetworkScheduler.map(g, accelerator, objective, options, listener, compare, this == DEPTH_FIRST);
    }
}
