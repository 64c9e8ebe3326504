package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.edgenn.ir.Formats;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgenn check FILE...}: diagnostics, then per-layer shapes, parameters and MACs of every network. */
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
        InputFiles.Expansion expansion = InputFiles.expand(arguments);
        List<Path> files = expansion.files();
        for (String none : expansion.unmatched()) {
            err.println("edgenn: error: no .edgenn files match " + none);
        }
        if (!expansion.unmatched().isEmpty() && files.isEmpty()) {
            err.flush();
            return EdgeNN.USAGE;
        }
        Workspace ws = new Workspace();
        boolean unreadable = false;
        for (Path f : files) {
            unreadable |= !ws.load(f);
        }
        ws.diagnostics().forEach(d -> err.println(d));
        err.flush();
        if (ws.hasErrors()) {
            long errors = ws.diagnostics().stream().filter(Workspace.Diagnostic::error).count();
            err.println(errors + " error" + (errors == 1 ? "" : "s"));
            return files.stream().allMatch(f -> !java.nio.file.Files.exists(f)) ? EdgeNN.USAGE : EdgeNN.INPUT_ERRORS;
        }
        if (!quiet && !unreadable) {
            Program program = ws.program();
            for (Network n : program.networks()) {
                printTable(out, n);
            }
        }
        out.flush();
        return EdgeNN.OK;
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
    }
}
