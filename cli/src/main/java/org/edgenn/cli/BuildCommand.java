package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.report.ReportPage;
import org.edgenn.generator.report.TrainingRecord;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn build FILE --network N --target T --out DIR}: the whole job. Check the files, train (or take
 * {@code --model}), map every layer, generate and compile the int8 inference class, verify it, and write
 * {@code DIR/report.html}. Exit 0 when everything passed, 1 when verification failed or a budget is exceeded (the
 * report is written either way), 2 on bad usage or input.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Check, train, quantize, map, generate and compile the int8 inference code, verify it, and write DIR/report.html.")
public final class BuildCommand implements Callable<Integer> {

    @Mixin
    NetworkArguments subject;

    @Option(names = "--target", required = true, description = "the accelerator to map onto and verify against")
    String target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path outDir;

    @Option(names = "--model", paramLabel = "ARTIFACT",
            description = "a trained N.safetensors (or its directory) to use instead of training")
    Path model;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--objective", defaultValue = "edp", description = "mapping objective: energy, latency or edp (default: ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--layer-budget", defaultValue = "PT2S",
            description = "mapping search time per layer, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration layerBudget;

    @Option(names = "--samples", defaultValue = "" + VerifyCommand.DEFAULT_SAMPLES,
            description = "held-out examples to verify (default: ${DEFAULT-VALUE})")
    int samples;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 1 || !training.valid()) {
            err.println("edgenn: error: --samples, --epochs and --batches-per-epoch must be at least 1");
            return EdgeNN.USAGE;
        }
        Objective obj;
        try {
            obj = Objective.parse(objective);
        } catch (IllegalArgumentException e) {
            err.println("edgenn: error: --objective must be energy, latency or edp, not " + objective);
            return EdgeNN.USAGE;
        }
        step(err, "check");
        Loaded loaded = Loaded.check(subject.files, err);
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        Program program = loaded.workspace().program();
        Network net = subject.network(program, err);
        if (net == null) {
            return EdgeNN.USAGE;
        }
        try {
            AcceleratorSpec accel = VerifyCommand.target(program, net, target);
            if (!NetworkArguments.executable(net, accel, err)) {
                return EdgeNN.INPUT_ERRORS;
            }
            Files.createDirectories(outDir);
            List<String> files = new ArrayList<>();

            VerifyCommand.Artifact artifact;
            if (model == null) {
                step(err, "train");
                int trained = trainer().train(program, net, out, err);
                if (trained != EdgeNN.OK) {
                    return trained;
                }
                artifact = VerifyCommand.Artifact.of(outDir, net.name());
                files.add(net.name() + ".safetensors");
                files.add(net.name() + ".metrics.json");
                files.add(net.name() + ".curve.png");
            } else {
                artifact = VerifyCommand.Artifact.of(model, net.name());
                out.println("using " + artifact.safetensors() + " (not training)");
            }

            step(err, "map on " + accel.name());
            long start = System.nanoTime();
            NetworkMapping mapping = MapCommand.search(net, accel, obj, SearchOptions.defaults().withLayerBudget(layerBudget), err);
            if (mapping == null) {
                return EdgeNN.INPUT_ERRORS;
            }
            double searchSeconds = (System.nanoTime() - start) / 1e9;
            List<Path> tables = MappingTables.write(mapping, outDir, net.name());
            tables.forEach(p -> {
                out.println("wrote " + p);
                files.add(outDir.relativize(p).toString());
            });

            step(err, "generate and compile the int8 inference code");
            GeneratedClasses classes = VerifyCommand.compile(program, net, outDir.resolve("src"), err);
            out.println("wrote " + classes.inferenceSource());
            files.add(outDir.relativize(classes.inferenceSource()).toString());
            files.add(outDir.relativize(classes.sourceRoot.resolve(classes.trainer.relativePath())).toString());

            step(err, "verify");
            JsonTableReader.Table table = VerifyCommand.readTable(tables.get(0), accel);
            Verification.Result verified = VerifyCommand.verify(net, accel, classes, artifact, table, samples,
                    VerifyCommand.DEFAULT_SIMULATION_LIMIT, training.dataBase(net), err);
            int exit = VerifyCommand.print(verified, out, err);

            List<BudgetLine> budgets = BudgetCheck.status(net, mapping);
            TrainingRecord record = artifact.training();
            Path report = ReportPage.write(report(net, accel, mapping, searchSeconds, verified, budgets, record, files),
                    outDir);
            out.println("wrote " + report);
            budgets.stream().filter(b -> !b.met()).forEach(b ->
                    err.println("edgenn: error: budget " + b.budget() + " exceeded: " + b.actual()));
            out.flush();
            err.flush();
            return exit != EdgeNN.OK || budgets.stream().anyMatch(b -> !b.met()) ? EdgeNN.INPUT_ERRORS : EdgeNN.OK;
        } catch (CommandException e) {
            err.println("edgenn: error: " + e.getMessage());
            err.flush();
            return e.exit();
        }
    }

    /** The train command with this build's settings: training is the same step as {@code edgenn train}. */
    private TrainCommand trainer() {
        TrainCommand t = new TrainCommand();
        t.training = training;
        t.outDir = outDir;
        return t;
    }

    private static BuildReport report(Network net, AcceleratorSpec accel, NetworkMapping mapping, double searchSeconds,
                                      Verification.Result verified, List<BudgetLine> budgets,
                                      TrainingRecord training, List<String> files) {
        List<LayerStats> stats = LayerStats.of(net);
        BuildReport.Summary summary = new BuildReport.Summary(LayerStats.totalParams(stats),
                LayerStats.totalMacs(stats), mapping.totalLatencySeconds(), mapping.totalEnergyPj() * 1e-12,
                mapping.utilization(), mapping.objective().toString(),
                String.format(Locale.ROOT, "%s, %d mappings costed in %.1f s%s",
                        mapping.options().strategy().name().toLowerCase(Locale.ROOT),
                        mapping.layers().stream().mapToLong(l -> l.evaluated()).sum(), searchSeconds,
                        mapping.provenOptimal() ? ", proven optimal per layer" : ""));
        String source = net.source() == null ? "" : Path.of(net.source().file()).getFileName() + ":" + net.source().line();
        return new BuildReport(net.name(), source, accel.name(), summary, verified.metrics(),
                BuildReport.LayerRow.of(net, mapping, verified.hardwareVerdicts(), verified.accessVerdicts()),
                training == null ? List.of() : training.epochs(), training == null ? List.of() : training.stages(), budgets,
                verified.checks(), files);
    }

    private static void step(PrintWriter err, String what) {
        err.println("== " + what);
        err.flush();
    }
}
