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
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.zigzag.ZigZagImportException;
import org.edgenn.generator.mapping.zigzag.ZigZagMappings;
import org.edgenn.generator.mapping.zigzag.ZigZagWorkload;
import org.edgenn.ir.Formats;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.InvalidAcceleratorException;
import org.edgenn.runtime.cost.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgenn map FILE --network N --target T}: the best mapping of every layer, as tables. */
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

    @Option(names = "--layer-budget", defaultValue = "PT2S",
            description = "search time per layer for the heuristic search, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration layerBudget;

    @Option(names = "--zigzag-workload", paramLabel = "WORKLOAD.yaml",
            description = "map the layers with weights of a ZigZag workload file instead of the network "
                    + "(--network then names the tables)")
    Path zigzagWorkload;

    @Option(names = "--zigzag-mapping", paramLabel = "MAPPING.yaml",
            description = "do not search: cost each layer's spatial mapping and temporal ordering from this ZigZag "
                    + "mapping file (loops allocated to memories by EdgeNN)")
    Path zigzagMapping;

    @Option(names = "--export-zigzag", paramLabel = "MAPPING.yaml",
            description = "also write the chosen mappings as a ZigZag mapping file (spatial mapping, temporal ordering)")
    Path exportZigzag;

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
        Loaded loaded = Loaded.check(subject.files, err);
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        Program program = loaded.workspace().program();
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
        List<Workload> layers;
        try {
            layers = zigzagWorkload != null ? ZigZagWorkload.parse(Files.readString(zigzagWorkload)).layers()
                    : IrWorkloads.of(net, accel);
        } catch (IOException | ZigZagImportException e) {
            err.println(zigzagWorkload + ": error: " + e.getMessage());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        SearchOptions options = SearchOptions.defaults().withLayerBudget(layerBudget);
        if (exhaustive) {
            options = options.withStrategy(SearchOptions.Strategy.EXHAUSTIVE).withSpatialCandidates(0);
        }
        long start = System.nanoTime();
        NetworkMapping mapping;
        try {
            mapping = zigzagMapping != null ? ZigZagMappings.costAll(layers, accel, obj, options, Files.readString(zigzagMapping))
                    : search(layers, accel, obj, options, err);
        } catch (IOException | ZigZagImportException | NoValidMappingException e) {
            err.println(zigzagMapping + ": error: " + e.getMessage());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        if (mapping == null) {
            return EdgeNN.INPUT_ERRORS;
        }
        double searchSeconds = (System.nanoTime() - start) / 1e9;
        List<Path> written = new java.util.ArrayList<>(MappingTables.write(mapping, outDir, name));
        if (exportZigzag != null) {
            org.edgenn.runtime.io.AtomicFiles.write(exportZigzag, ZigZagMappings.toYaml(mapping));
            written.add(exportZigzag);
        }
        out.printf(Locale.ROOT, "%s on %s (%s): %d layers, %s operations (MACs and element-wise), %s, %s, utilization %.1f%%%s; searched in %.2f s%n", name,
                accel.name(), obj, mapping.layers().size(), Formats.compactCount(mapping.totalMacs()),
                Formats.duration(mapping.totalLatencySeconds()), Formats.energy(mapping.totalEnergyPj() * 1e-12),
                100 * mapping.utilization(), mapping.provenOptimal() ? ", proven optimal per layer" : "", searchSeconds);
        written.forEach(p -> out.println("wrote " + p));
        out.flush();
        List<?> violations = net == null ? List.of() : BudgetCheck.violations(net, mapping);
        violations.forEach(err::println);
        err.flush();
        return violations.isEmpty() ? EdgeNN.OK : EdgeNN.INPUT_ERRORS;
    }

    /**
     * Searches the mapping of every layer with a progress bar on {@code err} (also the mapping step of
     * {@code edgenn build}); null, with the reason printed, when some layer has no valid mapping.
     */
    static NetworkMapping search(Network net, AcceleratorSpec accel, Objective objective, SearchOptions options,
                                 PrintWriter err) {
        return search(IrWorkloads.of(net, accel), accel, objective, options, err);
    }

    static NetworkMapping search(List<Workload> layers, AcceleratorSpec accel, Objective objective,
                                 SearchOptions options, PrintWriter err) {
        Progress progress = new Progress(err);
        try {
            return NetworkMapper.map(layers, accel, objective, options, progress);
        } catch (NoValidMappingException | InvalidAcceleratorException e) {
            progress.finish();
            err.println("edgenn: error: " + e.getMessage());
            err.flush();
            return null;
        } finally {
            progress.finish();
        }
    }
}
