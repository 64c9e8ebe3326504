package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.edgenn.explore.Engine;
import org.edgenn.explore.Explorer;
import org.edgenn.explore.InProcessEngine;
import org.edgenn.explore.Outputs;
import org.edgenn.explore.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn explore FILE --out DIR [--resume]}: runs the file's explore block. The file is checked
 * first like any other (its families, the block itself); then candidates are instantiated, checked,
 * mapped and scored, every result stored in DIR as it arrives, and the front written as .edgenn files
 * with explore.json, explore.csv and report.html.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Explore a design space: the explore block of FILE, its Pareto front written to --out.")
public final class ExploreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the .edgenn file holding the families and the explore block")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where results, front and report go")
    Path out;

    @Option(names = "--resume", description = "continue the exploration stored in DIR (evaluated candidates are not evaluated again)")
    boolean resume;

    @Option(names = "--explore", paramLabel = "NAME", description = "the explore block to run when FILE has several")
    String explore;

    @Option(names = "--threads", paramLabel = "N", description = "candidates evaluated in parallel (default: the number of processors)")
    Integer threads;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "threads",
            description = "where candidates are evaluated: threads (this process) or spark (needs the explore-spark module)")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: local[N] (embedded; the default is local[THREADS]) or spark://HOST:7077 (a standalone cluster)")
    String master;

    @Option(names = "--schedule", defaultValue = "network", paramLabel = "network|layer-by-layer",
            description = "how candidates are costed: network (default: element-wise ops fused, tied weights, states and "
                    + "intermediates on chip where they fit) or layer-by-layer (every layer and element-wise op its own "
                    + "pass through DRAM); a resumed exploration keeps the schedule it started with")
    String schedule;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter outW = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null && threads < 1) {
            err.println("edgenn explore: --threads must be at least 1");
            err.flush();
            return EdgeNN.USAGE;
        }
        org.edgenn.generator.mapping.ScheduleMode mode = MapCommand.scheduleMode(schedule, err);
        if (mode == null) {
            err.flush();
            return EdgeNN.USAGE;
        }
        if (mode == org.edgenn.generator.mapping.ScheduleMode.DEPTH_FIRST) {
            // its search maps candidate stacks' tile nests: 2-10x the network schedule's CPU (docs/BENCHMARKS.md)
            err.println("edgenn explore: --schedule depth-first is for edgenn map and build (its stack search costs "
                    + "several times the network schedule's CPU per network); explore costs candidates in the network or "
                    + "layer-by-layer schedule");
            err.flush();
            return EdgeNN.USAGE;
        }
        Loaded loaded = Loaded.check(List.of(file.toString()), err);
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Engine e;
        if ("threads".equals(engine)) {
            if (master != null) {
                err.println("edgenn explore: --master goes with --engine spark");
                err.flush();
                return EdgeNN.USAGE;
            }
            e = new InProcessEngine(n);
        } else {
            Engine.Provider provider = ServiceLoader.load(Engine.Provider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals(engine)).findFirst().orElse(null);
            if (provider == null) {
                err.println("edgenn explore: unknown engine '" + engine + "'; expected threads"
                        + ("spark".equals(engine) ? " (the spark engine needs the explore-spark module on the class path)" : ""));
                err.flush();
                return EdgeNN.USAGE;
            }
            e = provider.create(master, n);
        }
        try (Engine engineToClose = e) {
            Explorer.Outcome o = Explorer.run(new Explorer.Options(file, Files.readString(file), explore, out, resume, e, outW, mode));
            outW.printf("%nfront of %s (%d designs, full mapping search):%n", o.spec().name(), o.front().size());
            for (int i = 0; i < o.front().size(); i++) {
                Result r = o.front().get(i);
                StringBuilder b = new StringBuilder(String.format("  %2d  %s", i + 1, r.candidate().key()));
                for (var obj : o.spec().objectives()) {
                    b.append("  ").append(obj.spelling()).append(' ').append(Outputs.shown(obj.spelling(), r.metric(obj.spelling())));
                }
                outW.println(b);
            }
            long infeasible = o.screened().stream().filter(r -> !r.feasible()).count();
            outW.printf("%d candidates, %d infeasible (reasons in %s); report: %s%n", o.screened().size(), infeasible,
                    out.resolve("explore.csv"), out.resolve("report.html"));
            outW.flush();
            o.blockErrors().forEach(err::println);
            err.flush();
            return o.blockErrors().isEmpty() ? EdgeNN.OK : EdgeNN.INPUT_ERRORS;
        } catch (IllegalArgumentException ex) {
            err.println("edgenn explore: " + ex.getMessage());
            err.flush();
            return EdgeNN.USAGE;
        }
    }
}
