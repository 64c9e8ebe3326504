package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.pipeline.CheckStage;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.Formats;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn check FILE...}: the pipeline's check stage ({@link CheckStage}): diagnostics, latency/energy
 * budgets checked on a quick mapping of each budget's target (the same verdict on every machine), then per-layer
 * shapes, parameters and MACs of every network.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check .edgenn files: print diagnostics as path:line:col, then a per-layer table of each network.")
public final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = ".edgenn files, directories (every .edgenn file below) or patterns such as 'examples/**/*.edgenn'")
    List<String> arguments;

    @Option(names = "--quiet", description = "print diagnostics only, no tables")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Loaded loaded = Loaded.check(arguments, err, new CheckStage(true));
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        CheckStage.Checked checked = loaded.checked();
        List<Diagnostic> violations = loaded.stageDiagnostics();
        if (!quiet) {
            for (Network n : checked.networks()) {
                printTable(out, n);
                for (NetworkMapping m : checked.mappings().get(n.name())) {
                    out.println(String.format(java.util.Locale.ROOT, "  on %s: %s, %s (quick mapping; edgenn map searches longer)",
                            m.accelerator().name(), Formats.duration(m.totalLatencySeconds()), Formats.energy(m.totalEnergyPj() * 1e-12)));
                }
            }
        }
        out.flush();
        violations.forEach(err::println);
        if (!violations.isEmpty()) {
            err.println(violations.size() + " error" + (violations.size() == 1 ? "" : "s"));
        }
        err.flush();
        return violations.isEmpty() ? EdgeNN.OK : EdgeNN.INPUT_ERRORS;
    }

    static void printTable(PrintWriter out, Network n) {
        List<LayerStats> rows = LayerStats.of(n);
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5));
        String format = "%-" + nameWidth + "s  %-14s  %-16s  %12s  %14s%n";
        out.printf("%nnetwork %s (%d layers)%n", n.name(), rows.size());
        out.printf(format, "layer", "op", "output", "params", "MACs");
        for (LayerStats r : rows) {
            out.printf(format, r.name(), r.kind(), r.shape(), r.params(), r.macs());
        }
        long params = LayerStats.totalParams(rows);
        long macs = LayerStats.totalMacs(rows);
        out.printf(format, "total", "", "", params, macs);
        out.printf("  %s parameters, %s MACs per inference%n", Formats.compactCount(params), Formats.compactCount(macs));
        long nonZero = LayerStats.totalNonZeroParams(rows);
        if (nonZero < params) {
            out.printf("  %s non-zero parameters after pruning (%.1f%% zeros)%n", Formats.compactCount(nonZero),
                    100.0 * (params - nonZero) / params);
        }
        org.edgenn.ir.graph.MemoryFootprint mem = org.edgenn.ir.graph.MemoryFootprint.of(n);
        out.printf("  memory %s: weights %s + peak activations %s (at %s)%n", Formats.bytes(mem.totalBytes()),
                Formats.bytes(mem.weightBytes()), Formats.bytes(mem.activationBytes()), mem.peakNode());
    }
}
