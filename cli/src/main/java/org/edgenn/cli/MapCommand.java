package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.generator.mapping.zigzag.ZigZagImportException;
import org.edgenn.generator.mapping.zigzag.ZigZagMappings;
import org.edgenn.generator.mapping.zigzag.ZigZagWorkload;
import org.edgenn.ir.Formats;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgenn map FILE --network N --target T}: the pipeline's check and map stages ({@link MapStage}); the best mapping of every layer, as tables. */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Map every layer of a network onto an accelerator and write N.mapping.json, .csv and .md.")
public final class MapCommand implements Callable<Integer> {

    @Mixin
    NetworkArguments subject;

    @Option(names = "--target", required = true, description = "the accelerator to map onto")
    String target;

    @Option(names = "--objective", defaultValue = "edp", description = "energy, latency or edp (default: ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--out", defaultValue = "out", description = "directory for the tables (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--layer-budget", defaultValue = "PT10S",
            description = "search time per layer for the heuristic search, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration layerBudget;

    @Option(names = "--zigzag-workload", paramLabel = "WORKLOAD.yaml",
            description = "map the layers with weights of a ZigZag workload file instead of the network "
                    + "(--network then names the tables)")
    Path zigzagWorkload;

    @Option(names = "--zigzag-mapping", paramLabel = "MAPPING.yaml",
            description = "do not search: cost each layer's spatial mapping and temporal ordering from this ZigZag "
                    + "mapping file (loops allocated to memories by ZigZag's rule, as ZigZag does)")
    Path zigzagMapping;

    @Option(names = "--export-zigzag", paramLabel = "MAPPING.yaml",
            description = "also write the chosen mappings as a ZigZag mapping file (spatial mapping, temporal ordering); "
                    + "loops are then allocated to memories by ZigZag's rule, which ZigZag applies to the file")
    Path exportZigzag;

    @Option(names = "--schedule", defaultValue = "network", paramLabel = "network|depth-first|layer-by-layer",
            description = "network (default): element-wise ops fused into their producers, tied weights, states and "
                    + "intermediates kept on chip where they fit, compared with layer by layer in the tables; "
                    + "depth-first: the network schedule plus stacks of consecutive convolutions run tile by tile with "
                    + "their intermediates on chip where that gains (a search of every candidate stack's tile nests: "
                    + "minutes where the network schedule takes seconds), compared with the network schedule without "
                    + "them and layer by layer; layer-by-layer: every layer and element-wise op its own pass through DRAM")
    String schedule;

    @Option(names = "--exhaustive", description = "search every layer exhaustively (proven optimum; slow on big layers)")
    boolean exhaustive;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Objective obj;
        try {
            obj = Objective.parse(objective);
        } catch (IllegalArgumentException e) {
            err.println("edgenn: error: --objective must be energy, latency or edp, not " + objective);
            return EdgeNN.USAGE;
        }
        ScheduleMode mode = scheduleMode(schedule, err);
        if (mode == null) {
            return EdgeNN.USAGE;
        }
        Loaded loaded = Loaded.check(subject.files, err);
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        Program program = loaded.checked().program();
        Network net = zigzagWorkload != null ? null : subject.network(program, err);
        AcceleratorSpec accel = net == null && zigzagWorkload == null ? null
                : NetworkArguments.accelerator(program, target, err);
        if (accel == null) {
            return EdgeNN.USAGE;
        }
        if (net != null && !NetworkArguments.executable(net, accel, err)) {
            return EdgeNN.INPUT_ERRORS;
        }
        String name = net != null ? net.name() : subject.network;
        MapStage.Input input;
        String zigzag;
        java.util.Map<String, java.util.Map<org.edgenn.ir.accel.LoopDim, String>> dimNames = java.util.Map.of();
        try {
            if (zigzagWorkload != null) {
                ZigZagWorkload.Result parsed = ZigZagWorkload.parse(Files.readString(zigzagWorkload));
                dimNames = parsed.dimensionNames();
                if (!parsed.skipped().isEmpty()) {
                    // said, not silently dropped: the totals cover the mapped layers only
                    err.println(zigzagWorkload + ": note: " + parsed.skipped().size() + " layer(s) without weights not "
                            + "mapped: " + String.join(", ", parsed.skipped()));
                }
                input = MapStage.Input.workloads(parsed.layers(), accel);
            } else {
                input = MapStage.Input.on(net, accel);
            }
        } catch (ZigZagImportException e) {
            e.problems().forEach(p -> err.println(zigzagWorkload + ": error: " + p));
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        } catch (IOException e) {
            err.println(zigzagWorkload + ": error: " + EdgeNN.reason(e));
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        try {
            zigzag = zigzagMapping == null ? null : Files.readString(zigzagMapping);
        } catch (IOException e) {
            err.println(zigzagMapping + ": error: " + EdgeNN.reason(e));
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        // a ZigZag mapping file carries no allocation: ZigZag re-allocates the exported orders with its own rule, so
        // the search considers that allocation only, with ZigZag's loading rule (what it optimizes is then what
        // ZigZag costs); a ZigZag mapping costed here gets the same allocation and loading rule
        SearchOptions options = SearchOptions.defaults().withLayerBudget(layerBudget)
                .withZigZagAllocation(exportZigzag != null || zigzagMapping != null);
        if (exhaustive) {
            options = options.withStrategy(SearchOptions.Strategy.EXHAUSTIVE).withSpatialCandidates(0);
        }
        long start = System.nanoTime();
        Progress progress = new Progress(err);
        MapStage.Result result;
        try {
            result = new MapStage(new MapStage.Options(obj, options, progress, zigzag).withSchedule(mode, true)).run(input);
        } finally {
            progress.finish();
        }
        if (!result.ok()) {
            err.println(zigzagMapping != null ? zigzagMapping + ": error: " + result.failure() : "edgenn: error: " + result.failure());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        NetworkMapping mapping = result.mappings().get(0);
        double searchSeconds = (System.nanoTime() - start) / 1e9;
        List<Path> written = new java.util.ArrayList<>(MappingTables.write(mapping, outDir, name));
        if (exportZigzag != null) {
            org.edgenn.runtime.io.AtomicFiles.write(exportZigzag, ZigZagMappings.toYaml(mapping, dimNames));
            written.add(exportZigzag);
        }
        out.printf(Locale.ROOT, "%s on %s (%s): %d layers, %s operations (MACs and element-wise), %s, %s, utilization %.1f%%%s; searched in %.2f s%n", name,
                accel.name(), obj, mapping.layers().size(), Formats.compactCount(mapping.totalMacs()),
                Formats.duration(mapping.totalLatencySeconds()), Formats.energy(mapping.totalEnergyPj() * 1e-12),
                100 * mapping.utilization(), mapping.provenOptimal() ? ", proven optimal per layer" : "", searchSeconds);
        printSchedule(out, mapping);
        written.forEach(p -> out.println("wrote " + p));
        out.flush();
        List<?> violations = net == null ? List.of() : BudgetCheck.violations(net, mapping);
        violations.forEach(err::println);
        err.flush();
        return violations.isEmpty() ? EdgeNN.OK : EdgeNN.INPUT_ERRORS;
    }

    /** {@code --schedule}'s value, or null with the error printed (an unknown value is an error, never a default). */
    static ScheduleMode scheduleMode(String value, PrintWriter err) {
        for (ScheduleMode m : ScheduleMode.values()) {
            if (m.spelling().equals(value)) {
                return m;
            }
        }
        err.println("edgenn: error: --schedule must be network, depth-first or layer-by-layer, not " + value);
        err.flush();
        return null;
    }

    /** The network schedule against layer by layer, one line (nothing for a layer-by-layer mapping). */
    static void printSchedule(PrintWriter out, NetworkMapping m) {
        var s = m.schedule();
        if (s == null || s.layerByLayer() == null) {
            return;
        }
        var t = s.layerByLayer();
        out.printf(Locale.ROOT, "network schedule: %d passes (%d element-wise layers fused), %d tensors resident on chip; "
                        + "vs layer by layer (%d passes): energy %s -> %s (%.3fx), latency %s -> %s (%.3fx), EDP %.3fx, "
                        + "DRAM %s -> %s%n",
                m.layers().size(), s.passes().stream().mapToInt(p -> p.fused().size()).sum(), s.residents().size(),
                t.passes(), Formats.energy(t.energyPj() * 1e-12), Formats.energy(m.totalEnergyPj() * 1e-12),
                m.totalEnergyPj() / t.energyPj(), Formats.duration(t.latencyCycles() / m.accelerator().clockHz()),
                Formats.duration(m.totalLatencySeconds()), m.totalLatencyCycles() / t.latencyCycles(),
                m.totalEnergyPj() * m.totalLatencyCycles() / (t.energyPj() * t.latencyCycles()),
                bytes(t.dramBytes()), bytes(m.totalDramBytes()));
        if (!s.depthFirst()) {
            return;
        }
        var w = s.withoutStacks(m.totalEnergyPj(), m.totalLatencyCycles(), m.totalDramBytes());
        StringBuilder names = new StringBuilder();
        for (var f : s.stacks()) {
            names.append(names.length() == 0 ? "" : ", ").append(f.name()).append(' ').append(f.tileRows()).append('x')
                    .append(f.tileCols()).append(' ').append(f.mode());
        }
        out.printf(Locale.ROOT, "depth-first: %d stacks%s; vs network without stacks: energy %s -> %s (%.3fx), latency %.3fx, "
                        + "EDP %.3fx, DRAM %s -> %s%n", s.stacks().size(), names.length() == 0 ? "" : " (" + names + ")",
                Formats.energy(w.energyPj() * 1e-12), Formats.energy(m.totalEnergyPj() * 1e-12),
                m.totalEnergyPj() / w.energyPj(), m.totalLatencyCycles() / w.latencyCycles(),
                m.totalEnergyPj() * m.totalLatencyCycles() / (w.energyPj() * w.latencyCycles()),
                bytes(w.dramBytes()), bytes(m.totalDramBytes()));
    }

    private static String bytes(double b) {
        return b >= 1e6 ? String.format(Locale.ROOT, "%.3g MB", b / 1e6) : String.format(Locale.ROOT, "%.4g kB", b / 1e3);
    }

    /**
     * The map stage with a progress bar on {@code err} (also the mapping step of {@code edgenn build}); null, with the
     * reason printed, when some layer has no valid mapping.
     */
    static NetworkMapping search(Network net, AcceleratorSpec accel, Objective objective, SearchOptions options,
                                 ScheduleMode mode, PrintWriter err) {
        Progress progress = new Progress(err);
        MapStage.Result result;
        try {
            result = new MapStage(MapStage.Options.search(objective, options, progress).withSchedule(mode, true))
                    .run(MapStage.Input.on(net, accel));
        } finally {
            progress.finish();
        }
        if (!result.ok()) {
            err.println("edgenn: error: " + result.failure());
            err.flush();
            return null;
        }
        return result.mappings().get(0);
    }
}
