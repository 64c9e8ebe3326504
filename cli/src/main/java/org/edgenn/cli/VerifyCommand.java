package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.generator.verify.StackSchedule;
import org.edgenn.generator.verify.TableStacks;
import org.edgenn.generator.report.TrainingRecord;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.spec.Budget;
import org.edgenn.runtime.cost.MemoryHierarchy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn verify FILE --network N --model M}: the pipeline's check, map (the quick mapping, unless
 * {@code --mapping} names a table), generate and verify stages: generates and compiles the network's int8 inference
 * class, loads the artifact and checks it on held-out examples of the train block against the target's hardware
 * model, its mapping table against the loop-nest simulator, and reports float vs int8 metrics. Exit 0 when everything
 * matches, 1 on a mismatch, 2 on bad usage or input.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a trained int8 network layer by layer against the target's hardware model, and the hardware model executing each layer's mapping against the generated code and the mapping table.")
public final class VerifyCommand implements Callable<Integer> {
    /**
     * Layers whose mapping walks more MAC slots than this are executed on a sample of their outputs (the mapped execution
     * visits every slot, about 1 µs each on one core): LISTA's and FashionCnn's layers are all under it and run whole;
     * 17 of CscDenoiser's 41 layers are sampled.
     */
    static final long DEFAULT_SIMULATION_LIMIT = 4_000_000L;
    /** Each example is re-run MAC by MAC on the scalar hardware model: a few hundred keep verification at seconds. */
    static final int DEFAULT_SAMPLES = 256;

    @Mixin
    NetworkArguments subject;

    @Option(names = "--model", required = true, paramLabel = "DIR_OR_SAFETENSORS",
            description = "the trained artifact N.safetensors, or the directory holding it (and N.metrics.json)")
    Path model;

    @Option(names = "--target", description = "the accelerator (default: the one the network's latency/energy budgets name)")
    String target;

    @Option(names = "--samples", defaultValue = "" + DEFAULT_SAMPLES,
            description = "held-out examples to check, the first of the train block's (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--mapping", paramLabel = "N.mapping.json",
            description = "the mapping table to check (default: a quick mapping search, as edgenn check does)")
    Path mapping;

    @Option(names = "--data-dir", description = "base of relative data paths (default: the directory of the network's file)")
    Path dataDir;

    @Option(names = "--simulate-limit", paramLabel = "MACS", defaultValue = "" + DEFAULT_SIMULATION_LIMIT,
            description = "execute the mapped schedules of layers up to this many MAC slots whole, larger ones on a sample of their outputs (default: ${DEFAULT-VALUE})")
    long simulateLimit;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 1) {
            err.println("edgenn: error: --samples must be at least 1");
            return EdgeNN.USAGE;
        }
        NetworkArguments.Selected selected = subject.select(err);
        if (selected.exit() != null) {
            return selected.exit();
        }
        Program program = selected.program();
        Network net = selected.network();
        Path sources = Files.createTempDirectory("edgenn-verify");
        try {
            AcceleratorSpec accel = target(program, net, target);
            if (!NetworkArguments.executable(net, accel, err)) {
                return EdgeNN.INPUT_ERRORS;
            }
            Artifact artifact = Artifact.of(model, net.name());
            JsonTableReader.Table table = mapping != null ? readTable(mapping, accel)
                    : table(quickMapping(net, accel), net.name(), accel);
            // the table's depth-first stacks, rebuilt against the network: executed tile by tile as build executes them
            StackSchedule stacks = stacks(table, net, accel, mapping);
            GeneratedClasses classes = compile(program, net, sources);
            VerifyStage.Verified verified = new VerifyStage(samples, simulateLimit, err).run(
                    new VerifyStage.Input(net, accel, classes, artifact, table, TrainCommand.dataBase(net, dataDir), stacks));
            if (verified.stop() != null) {
                throw verified.stop();
            }
            Verification.Result result = verified.result();
            return print(result, out, err);
        } catch (CommandException e) {
            err.println("edgenn: error: " + e.getMessage());
            err.flush();
            return e.exit();
        } finally {
            deleteTree(sources);
        }
    }

    /** A trained model: the safetensors file and the trainer's metrics file beside it (which may be missing). */
    record Artifact(Path safetensors, Path metrics) {
        static Artifact of(Path given, String network) throws CommandException {
            Path file = Files.isDirectory(given) ? given.resolve(network + ".safetensors") : given;
            if (!Files.isRegularFile(file)) {
                throw new CommandException(EdgeNN.USAGE, "no model " + file + (Files.isDirectory(given) ? "" : " (give the "
                        + network + ".safetensors written by edgenn train, or its directory)"));
            }
            return new Artifact(file, file.resolveSibling(network + ".metrics.json"));
        }

        /** The trainer's record, or null when there is no metrics file. */
        TrainingRecord training() throws CommandException {
            if (!Files.isRegularFile(metrics)) {
                return null;
            }
            try {
                return TrainingRecord.read(metrics);
            } catch (IOException e) {
                throw new CommandException(EdgeNN.USAGE, e.getMessage());
            }
        }
    }

    /** The named accelerator, or the single one the network's latency/energy budgets name. */
    static AcceleratorSpec target(Program program, Network net, String name) throws CommandException {
        if (name == null) {
            List<String> named = net.compression().budgets().stream().filter(b -> b.metric().needsTarget())
                    .map(Budget::target).distinct().toList();
            if (named.size() != 1) {
                throw new CommandException(EdgeNN.USAGE, "name the accelerator with --target (" + net.name()
                        + "'s budgets name " + (named.isEmpty() ? "none" : named) + ")");
            }
            name = named.get(0);
        }
        AcceleratorSpec accel = program.accelerator(name).orElse(null);
        if (accel == null) {
            throw new CommandException(EdgeNN.USAGE, NetworkArguments.noAccelerator(program, name));
        }
        return accel;
    }

    static JsonTableReader.Table readTable(Path file, AcceleratorSpec accel) throws CommandException {
        try {
            return JsonTableReader.read(Files.readString(file), MemoryHierarchy.of(accel));
        } catch (IOException e) {
            throw new CommandException(EdgeNN.USAGE, "cannot read " + file + ": " + e.getMessage());
        } catch (JsonTableReader.TableException e) {
            throw new CommandException(EdgeNN.USAGE, file + ": " + e.getMessage());
        }
    }

    /** The depth-first stacks of {@code table} for {@code net} on {@code accel}; a stack that is not the network's is an input error. */
    static StackSchedule stacks(JsonTableReader.Table table, Network net, AcceleratorSpec accel, Path file)
            throws CommandException {
        try {
            return TableStacks.of(table, IrWorkloads.graph(net, accel), accel);
        } catch (JsonTableReader.TableException e) {
            throw new CommandException(EdgeNN.USAGE, (file == null ? "" : file + ": ") + e.getMessage());
        }
    }

    /** The map stage's quick mapping of {@code net} on {@code accel}: the one {@code edgenn check} costs budgets on. */
    static NetworkMapping quickMapping(Network net, AcceleratorSpec accel) throws CommandException {
        MapStage.Result r = new MapStage().run(MapStage.Input.on(net, accel));
        if (!r.ok()) {
            throw new CommandException(EdgeNN.INPUT_ERRORS, "cannot map " + net.name() + " on " + accel.name() + ": " + r.failure());
        }
        return r.mappings().get(0);
    }

    /** The table of a mapping searched in this run, read back from its JSON like a table on disk. */
    static JsonTableReader.Table table(NetworkMapping m, String network, AcceleratorSpec accel) throws CommandException {
        try {
            return JsonTableReader.read(JsonTable.render(m, network, List.of()), MemoryHierarchy.of(accel));
        } catch (JsonTableReader.TableException e) {
            throw new IllegalStateException("a freshly rendered mapping table does not read back: " + e.getMessage(), e);
        }
    }

    static GeneratedClasses compile(Program program, Network net, Path sources) throws CommandException, IOException {
        try {
            return GeneratedClasses.compile(program, net, sources);
        } catch (InMemoryCompiler.CompilationException e) {
            throw new IllegalStateException("the generated sources under " + sources + " do not compile:\n"
                    + String.join("\n", e.errors()), e);
        }
    }

    /** Prints the verdicts (failures also to {@code err}) and returns the exit code. */
    static int print(Verification.Result r, PrintWriter out, PrintWriter err) {
        out.println(r.network() + " on " + r.target() + ":");
        r.checks().forEach(c -> out.println("  " + (c.passed() ? "ok    " : "FAILED") + " " + c.name() + ": " + c.detail()));
        out.println(r.passed() ? "verified" : "verification failed");
        out.flush();
        if (!r.hardwarePassed()) {
            err.println("edgenn: error: hardware model mismatch: " + r.failure());
        }
        r.access().stream().filter(a -> a.failed()).forEach(a ->
                err.println("edgenn: error: mapped execution of layer " + a.layer() + ": " + a.detail()));
        err.flush();
        return r.passed() ? EdgeNN.OK : EdgeNN.INPUT_ERRORS;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
