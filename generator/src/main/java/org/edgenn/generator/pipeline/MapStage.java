package org.edgenn.generator.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.zigzag.ZigZagImportException;
import org.edgenn.generator.mapping.zigzag.ZigZagMappings;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.InvalidAcceleratorException;
import org.edgenn.runtime.cost.Workload;

/**
 * The map stage: a network's layers (or a given list of workloads) on accelerators, one {@link NetworkMapping} each.
 * The build tools run it with {@link Options#quick()} on every save or build, on every accelerator the network's
 * budgets name (the deterministic search {@code edgenn check} uses); the CLI's {@code map} and {@code build} run it
 * with their objective, a longer search and a progress bar. A target the layers do not fit on is a
 * {@link Result#failure()}, not an exception.
 */
public final class MapStage implements Stage<MapStage.Input, MapStage.Result> {

    /**
     * How to map: {@code objective} and {@code search} for the search, or, when {@code zigzagMapping} (a ZigZag mapping
     * file's text) is given, no search: each layer costed with that file's spatial mapping and loop order.
     */
    public record Options(Objective objective, SearchOptions search, ProgressListener progress, String zigzagMapping,
                          ScheduleMode schedule, boolean compareLayerByLayer) {
        /** The network schedule, without the layer-by-layer comparison. */
        public Options(Objective objective, SearchOptions search, ProgressListener progress, String zigzagMapping) {
            this(objective, search, progress, zigzagMapping, ScheduleMode.NETWORK, false);
        }

        /** What {@code edgenn check}, the Maven plugin and the Eclipse builder use: the same verdict on every machine. */
        public static Options quick() {
            return new Options(Objective.EDP, SearchOptions.quick(), ProgressListener.NONE, null);
        }

        public static Options search(Objective objective, SearchOptions search, ProgressListener progress) {
            return new Options(objective, search, progress, null);
        }

        /** The same with another schedule; {@code compare}: a network schedule also reports the layer-by-layer totals. */
        public Options withSchedule(ScheduleMode mode, boolean compare) {
            return new Options(objective, search, progress, zigzagMapping, mode, compare);
        }
    }

    /**
     * What to map: {@code network} (its workloads are derived per target) or, when {@code layers} is given, those
     * workloads (a ZigZag workload file); on {@code targets}, or when that is null, on the accelerators the network's
     * latency/energy budgets name in {@code program}.
     */
    public record Input(Program program, Network network, List<AcceleratorSpec> targets, List<Workload> layers) {
        /** The network on every accelerator its budgets name. */
        public Input(Program program, Network network) {
            this(program, network, null, null);
        }

        public static Input on(Network network, AcceleratorSpec target) {
            return new Input(null, network, List.of(target), null);
        }

        public static Input workloads(List<Workload> layers, AcceleratorSpec target) {
            return new Input(null, null, List.of(target), List.copyOf(layers));
        }
    }

    /** The mappings found, one per target in order, and the first target that could not be mapped (null if none). */
    public record Result(List<NetworkMapping> mappings, String failure) {
        public Result {
            mappings = List.copyOf(mappings);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    private final Options options;

    /** The quick stage of the build tools. */
    public MapStage() {
        this(Options.quick());
    }

    public MapStage(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "map";
    }

    @Override
    public Result run(Input in) {
        List<AcceleratorSpec> targets = in.targets() != null ? in.targets() : BudgetCheck.targets(in.network(), in.program());
        List<NetworkMapping> out = new ArrayList<>();
        for (AcceleratorSpec target : targets) {
            try {
                // a list of workloads (a ZigZag workload file) has no data flow: layer by layer
                WorkloadGraph graph = in.layers() != null ? WorkloadGraph.of(in.layers()) : IrWorkloads.graph(in.network(), target);
                ScheduleMode mode = in.layers() != null ? ScheduleMode.LAYER_BY_LAYER : options.schedule();
                out.add(options.zigzagMapping() != null
                        ? ZigZagMappings.costAll(graph.workloads(), target, options.objective(), options.search(), options.zigzagMapping())
                        : mode.map(graph, target, options.objective(), options.search(), options.progress(),
                                options.compareLayerByLayer()));
            } catch (NoValidMappingException | InvalidAcceleratorException | ZigZagImportException e) {
                // the typed failures of the mapper: a layer that fits nowhere, an accelerator that breaks a
                // hierarchy rule, a ZigZag mapping that does not apply
                return new Result(out, e.getMessage());
            }
        }
        return new Result(out, null);
    }
}
