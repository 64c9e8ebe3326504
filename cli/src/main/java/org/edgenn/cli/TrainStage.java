package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.GeneratedSource;
import org.edgenn.generator.pipeline.GenerateStage;
import org.edgenn.generator.pipeline.Outcome;
import org.edgenn.generator.pipeline.Stage;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.data.DataException;
import org.edgenn.train.loop.CheckpointException;
import org.edgenn.train.loop.RunCheckpoints;
import org.edgenn.train.loop.ConsoleProgress;
import org.edgenn.train.loop.Progress;

/**
 * The pipeline's train stage as the command line runs it ({@code edgenn train}, and {@code edgenn build}'s second
 * stage): the generate stage plans the network's trainer, its source goes to {@code DIR/src}, Eclipse JDT compiles it
 * in memory and it runs in-process: a progress bar per epoch, then {@code DIR/N.safetensors}, {@code DIR/N.metrics.json}
 * and {@code DIR/N.curve.png}. Its value is the exit code; what it says goes to the command's writers.
 */
final class TrainStage implements Stage<TrainStage.Input, TrainStage.Trained> {
    private static final GenerateStage GENERATE = new GenerateStage(new GenerateStage.Options(false, true));

    record Input(Program program, Network network) {
    }

    /** {@link EdgeNN#OK}, or the exit code of the problem the stage printed. */
    record Trained(int exit) {
        boolean ok() {
            return exit == EdgeNN.OK;
        }
    }

    private final TrainingOptions training;
    private final Path outDir;
    private final PrintWriter out;
    private final PrintWriter err;

    TrainStage(TrainingOptions training, Path outDir, PrintWriter out, PrintWriter err) {
        this.training = training;
        this.outDir = outDir;
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public Trained run(Input in) {
        try {
            return new Trained(train(in.program(), in.network()));
        } catch (Exception e) {
            throw new Defect(e); // not bad input: the command line reports it as an internal error
        }
    }

    /** Where the run's checkpoint lives: beside its outputs, one file per network. */
    private Path checkpointFile(Network net) {
        return outDir.resolve(".checkpoint").resolve(net.name() + ".ckpt");
    }

    /**
     * Starts the run's epoch checkpoints. The fingerprint is the generated trainer's source and the settings the
     * command line put into it, so that a resume after the .edgenn file or an option changed is refused, not mixed.
     */
    private RunCheckpoints startCheckpoints(Network net, GeneratedSource generated) {
        String fingerprint = sha256(generated.source() + "\nepochs=" + training.epochs + "\nbatches=" + training.batchesPerEpoch
                + "\ndata=" + training.dataBase(net) + "\ninit=" + training.initWeights);
        RunCheckpoints cp = RunCheckpoints.start(checkpointFile(net), fingerprint, training.resume, Duration.ofSeconds(training.checkpointSeconds));
        if (cp.resumed()) {
            out.println("resuming " + net.name() + " from " + checkpointFile(net) + " (" + cp.resumedAt() + ")");
            out.flush();
        } else if (training.resume) {
            err.println("edgenn: note: no checkpoint in " + checkpointFile(net) + "; training from the start");
            err.flush();
        }
        return cp;
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private int train(Program program, Network net) throws Exception {
        // the generate stage plans the trainer: no loss, or a construct the planner cannot express, is a typed outcome
        Outcome planned = GENERATE.run(new GenerateStage.Input(program, net)).get(0);
        if (planned instanceof Outcome.Skipped) {
            err.println("edgenn: error: network " + net.name() + " declares no loss: nothing to train");
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        if (planned instanceof Outcome.Unsupported u) {
            err.println("edgenn: error: no trainer for " + net.name() + ": " + u.reason());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        TrainBlock block = TrainBlock.of(program, net);
        if (block.teacher() != null) {
            err.println("edgenn: note: network " + net.name() + " has no train block; using its teacher " + block.teacher() + "'s");
        }
        GeneratedSource generated = ((Outcome.Generated) planned).source();
        Path src = outDir.resolve("src");
        InMemoryCompiler.Result compiled;
        try {
            compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(generated), TrainStage.class.getClassLoader(), src);
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
        if (training.initWeights != null) {
            c.getField("initWeights").set(trainer, training.initWeights.toAbsolutePath());
        }
        // a redrawn bar on a terminal; a line per epoch, stage and 30 s otherwise (CI logs, nohup, pipes)
        ConsoleProgress progress = new ConsoleProgress(err, ConsoleProgress.isTerminal());
        Map<String, Double> metrics;
        // ND4J 1.0.0-M2.1 prints one "Added differentiated op" line per op to System.out when it builds the gradient
        // graph; keep the command's output readable (picocli's writers hold the original stream)
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(new QuietStdout(stdout), true, java.nio.charset.StandardCharsets.UTF_8));
        RunCheckpoints checkpoints = null;
        try {
            // data problems surface here, before the first optimizer step
            c.getMethod("openData").invoke(trainer);
            c.getMethod("checkData").invoke(trainer);
            checkpoints = startCheckpoints(net, generated);
            @SuppressWarnings("unchecked")
            Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class)
                    .invoke(trainer, outDir, progress);
            metrics = m;
            checkpoints.finish(true);
        } catch (CheckpointException e) {
            err.println("edgenn: error: " + net.name() + ": " + e.getMessage());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        } catch (InvocationTargetException e) {
            progress.finish();
            if (checkpoints != null) {
                checkpoints.finish(false);
                err.println("edgenn: the last checkpoint is kept in " + checkpointFile(net) + "; add --resume to continue from it");
            }
            Throwable cause = e.getCause();
            if (cause instanceof DataException || cause instanceof IOException || cause instanceof CheckpointException) {
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
            if (checkpoints != null) checkpoints.finish(false);   // no-op after a successful finish
        }
        progress.finish();
        String metric = (String) c.getField("METRIC").get(null);
        Double f = metrics.get("float." + metric);
        Double q = metrics.get("int8." + metric);
        Double loss = metrics.get("loss");
        // a curriculum-only run (epochs 0) has no joint epoch, hence no final loss to report
        String lossText = loss == null || !Double.isFinite(loss) ? "" : String.format(Locale.ROOT, "final loss %.5g, ", loss);
        out.printf(Locale.ROOT, "%s: %sheld-out %s float %s%s%n", net.name(), lossText, metric, fmt(metric, f),
                q == null ? "" : ", " + net.compression().quantizedLabel() + " " + fmt(metric, q));
        List<String> peers = new ArrayList<>();
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
