package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.pipeline.ReportStage;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn build FILE --network N --target T --out DIR}: the whole job, the generation pipeline's stages in
 * order: check the files ({@link Loaded}, the check stage), train ({@link TrainStage}, or take {@code --model}), map
 * every layer ({@code MapStage}), generate and compile the int8 inference class ({@code GenerateStage}), verify it
 * ({@link VerifyStage}), and write {@code DIR/report.html} ({@link ReportStage}). Exit 0 when everything passed, 1 when verification failed or a budget is exceeded (the
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

    @Option(names = "--schedule", defaultValue = "network", paramLabel = "network|depth-first|layer-by-layer",
            description = "mapping schedule: network (default; fusion and on-chip residency, compared with layer by "
                    + "layer in the tables), depth-first (also stacks of convolutions run tile by tile, and the hardware "
                    + "model executes them tile by tile) or layer-by-layer")
    String schedule;

    @Option(names = "--layer-budget", defaultValue = "PT10S",
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
            err.println("edgenn: error: --samples, --epochs and --batches-per-epoch must be at least 1, --checkpoint-every at least 0");
            return EdgeNN.USAGE;
        }
        Objective obj;
        try {
            obj = Objective.parse(objective);
        } catch (IllegalArgumentException e) {
            err.println("edgenn: error: --objective must be energy, latency or edp, not " + objective);
            return EdgeNN.USAGE;
        }
        ScheduleMode mode = MapCommand.scheduleMode(schedule, err);
        if (mode == null) {
            return EdgeNN.USAGE;
        }
        step(err, "check");
        NetworkArguments.Selected selected = subject.select(err);
        if (selected.exit() != null) {
            return selected.exit();
        }
        Program program = selected.program();
        Network net = selected.network();
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
                TrainStage.Trained trained = new TrainStage(training, outDir, out, err).run(new TrainStage.Input(program, net));
                if (!trained.ok()) {
                    return trained.exit();
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
            NetworkMapping mapping = MapCommand.search(net, accel, obj, SearchOptions.defaults().withLayerBudget(layerBudget), mode, err);
            if (mapping == null) {
                return EdgeNN.INPUT_ERRORS;
            }
            double searchSeconds = (System.nanoTime() - start) / 1e9;
            MapCommand.printSchedule(out, mapping);
            List<Path> tables = MappingTables.write(mapping, outDir, net.name());
            tables.forEach(p -> {
                out.println("wrote " + p);
                files.add(outDir.relativize(p).toString());
            });

            step(err, "generate and compile the int8 inference code");
            GeneratedClasses classes = VerifyCommand.compile(program, net, outDir.resolve("src"));
            out.println("wrote " + classes.inferenceSource());
            files.add(outDir.relativize(classes.inferenceSource()).toString());
            files.add(outDir.relativize(classes.sourceRoot.resolve(classes.trainer.relativePath())).toString());

            step(err, "verify");
            JsonTableReader.Table table = VerifyCommand.readTable(tables.get(0), accel);
            VerifyStage.Verified verified = new VerifyStage(samples, VerifyCommand.DEFAULT_SIMULATION_LIMIT, err)
                    .run(new VerifyStage.Input(net, accel, classes, artifact, table, training.dataBase(net),
                            org.edgenn.generator.verify.StackSchedule.of(mapping)));
            if (verified.stop() != null) {
                throw verified.stop();
            }
            Verification.Result result = verified.result();
            int exit = VerifyCommand.print(result, out, err);

            List<BudgetLine> budgets = BudgetCheck.status(net, mapping);
            ReportStage.Written report = new ReportStage().run(new ReportStage.Input(net, accel, mapping, searchSeconds,
                    new ReportStage.Verified(result.metrics(), result.hardwareVerdicts(), result.accessVerdicts(),
                            result.checks()), budgets, artifact.training(), files, outDir));
            if (!report.ok()) {
                throw new CommandException(EdgeNN.INPUT_ERRORS, report.failure());
            }
            out.println("wrote " + report.file());
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

    private static void step(PrintWriter err, String what) {
        err.println("== " + what);
        err.flush();
    }
}
