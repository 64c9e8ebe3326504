package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.training.GeneratedTrainer;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.generator.training.TrainerGenerator;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.data.DataException;
import org.edgenn.train.loop.ConsoleProgress;
import org.edgenn.train.loop.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn train FILE --network N --out DIR}: generates the network's trainer, writes its source to
 * {@code DIR/src}, compiles that source in memory with Eclipse JDT's compiler and runs it in-process: a progress bar
 * per epoch, then {@code DIR/N.safetensors}, {@code DIR/N.metrics.json} and {@code DIR/N.curve.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Generate, compile and run a network's trainer; write N.safetensors, N.metrics.json, N.curve.png and the trainer source.")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    NetworkArguments subject;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--out", defaultValue = "out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!training.valid()) {
            err.println("edgenn: error: --epochs and --batches-per-epoch must be at least 1");
            return EdgeNN.USAGE;
        }
        Loaded loaded = Loaded.check(subject.files, err);
        if (loaded.exit() != null) {
            return loaded.exit();
        }
        Program program = loaded.workspace().program();
        Network net = subject.network(program, err);
        if (net == null) {
            return EdgeNN.USAGE;
        }
        return train(program, net, out, err);
    }

    /**
     * Generates, compiles and runs the trainer of {@code net} with this command's settings (also the training step of
     * {@code edgenn build}); returns the exit code.
     */
    int train(Program program, Network net, PrintWriter out, PrintWriter err) throws Exception {
        if (net.loss() == null) {
            err.println("edgenn: error: network " + net.name() + " declares no loss: nothing to train");
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        TrainBlock block = TrainBlock.of(program, net);
        if (block.teacher() != null) {
            err.println("edgenn: note: network " + net.name() + " has no train block; using its teacher " + block.teacher() + "'s");
        }
        GeneratedTrainer generated = TrainerGenerator.generate(net, block.spec(), n -> program.network(n).orElse(null));
        Path src = outDir.resolve("src");
        InMemoryCompiler.Result compiled;
        try {
            compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(generated), TrainCommand.class.getClassLoader(), src);
        } catch (InMemoryCompiler.CompilationException e) {
            err.println("edgenn: internal error: the generated trainer " + src.resolve(generated.relativePath()) + " does not compile:");
            e.errors().forEach(err::println);
            err.flush();
            return 3;
        }
        out.println("wrote " + src.resolve(generated.relativePath()));
        out.flush();
        Object trainer = compiled.load(generated.qualifiedName()).getConstructor().newInstance();
        Class<?> c = trainer.getClass();
        if (training.epochs != null) {
            c.getField("epochs").set(trainer, training.epochs);
        }
        if (training.batchesPerEpoch != null) {
            c.getField("batchesPerEpoch").set(trainer, training.batchesPerEpoch);
        }
        c.getField("dataDir").set(trainer, training.dataBase(net));
        // a redrawn bar on a terminal; a line per epoch, stage and 30 s otherwise (CI logs, nohup, pipes)
        ConsoleProgress progress = new ConsoleProgress(err, ConsoleProgress.isTerminal());
        Map<String, Double> metrics;
        // ND4J 1.0.0-M2.1 prints one "Added differentiated op" line per op to System.out when it builds the gradient
        // graph; keep the command's output readable (picocli's writers hold the original stream)
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(new QuietStdout(stdout), true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // data problems surface here, before the first optimizer step
            c.getMethod("openData").invoke(trainer);
            c.getMethod("checkData").invoke(trainer);
            @SuppressWarnings("unchecked")
            Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class)
                    .invoke(trainer, outDir, progress);
            metrics = m;
        } catch (InvocationTargetException e) {
            progress.finish();
            Throwable cause = e.getCause();
            if (cause instanceof DataException || cause instanceof IOException) {
                err.println("edgenn: error: " + net.name() + ": " + cause.getMessage());
                err.flush();
                return EdgeNN.INPUT_ERRORS;
            }
            if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).startsWith("loss became")) {
                err.println("edgenn: error: " + net.name() + ": training diverged: " + cause.getMessage());
                err.flush();
                return EdgeNN.INPUT_ERRORS;
            }
            throw cause instanceof Exception ex ? ex : e;
        } finally {
            System.setOut(stdout);
        }
        progress.finish();
        String metric = (String) c.getField("METRIC").get(null);
        Double f = metrics.get("float." + metric);
        Double q = metrics.get("int8." + metric);
        out.printf(Locale.ROOT, "%s: final loss %.5g, held-out %s float %s%s%n", net.name(), metrics.get("loss"), metric, fmt(metric, f),
                q == null ? "" : ", int8 " + fmt(metric, q));
        java.util.List<String> peers = new java.util.ArrayList<>();
        metrics.forEach((k, v) -> {
            if (k.startsWith("peer.") && k.endsWith("." + metric)) {
                peers.add(k.substring("peer.".length(), k.length() - metric.length() - 1) + " " + fmt(metric, v));
            }
        });
        if (!peers.isEmpty()) {
            out.printf(Locale.ROOT, "%s: classical peers, same run and held-out set, best lambda: %s%n", net.name(), String.join(", ", peers));
        }
        for (String ext : new String[] {".safetensors", ".metrics.json", ".curve.png"}) {
            out.println("wrote " + outDir.resolve(net.name() + ext));
        }
        out.flush();
        return EdgeNN.OK;
    }

    /** Where relative data paths of the train block resolve: {@code dataDir} if given, else the network file's directory. */
    static Path dataBase(Network net, Path dataDir) {
        if (dataDir != null) {
            return dataDir;
        }
        return net.source() == null || net.source().file().isEmpty() ? Path.of(".")
                : Path.of(net.source().file()).toAbsolutePath().getParent();
    }

    private static String fmt(String metric, Double v) {
        return BuildReport.TaskMetrics.format(metric, v == null ? Double.NaN : v);
    }

    /** Drops ND4J's per-op debug lines from a stream, passes every other line through. */
    static final class QuietStdout extends java.io.OutputStream {
        private final java.io.PrintStream target;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        QuietStdout(java.io.PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                String s = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                if (!s.startsWith("Added differentiated op")) {
                    target.print(s);
                }
                line.reset();
            }
        }

        @Override
        public synchronized void flush() {
            target.flush();
        }
    }
}
