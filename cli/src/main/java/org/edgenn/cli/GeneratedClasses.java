package org.edgenn.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.pipeline.GenerateStage;
import org.edgenn.generator.pipeline.Outcome;
import org.edgenn.generator.training.GeneratedTrainer;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.net.Int8Network;

/**
 * A network's generated trainer (which knows the train block's data) and int8 inference class (the pipeline's
 * generate stage, as {@code edgenn verify} and {@code build} run it), written under a
 * source root and compiled together in memory with Eclipse JDT. The classes load in a child of the CLI's class
 * loader, so runtime-core's {@link Int8Network} is the same type on both sides.
 */
final class GeneratedClasses {
    private static final GenerateStage GENERATE = new GenerateStage(new GenerateStage.Options(true, true));
    final GeneratedTrainer trainer;
    final GeneratedInference inference;
    final Path sourceRoot;
    private final InMemoryCompiler.Result compiled;

    private GeneratedClasses(GeneratedTrainer trainer, GeneratedInference inference, Path sourceRoot,
                             InMemoryCompiler.Result compiled) {
        this.trainer = trainer;
        this.inference = inference;
        this.sourceRoot = sourceRoot;
        this.compiled = compiled;
    }

    /**
     * Runs the pipeline's generate stage on {@code net} for both classes and compiles them; an output the stage cannot
     * produce (an op without an int8 lowering, a network without a loss and so without the trainer's held-out data)
     * stops the command with the stage's reason.
     */
    static GeneratedClasses compile(Program program, Network net, Path sourceRoot)
            throws CommandException, InMemoryCompiler.CompilationException, IOException {
        GeneratedInference inference = null;
        GeneratedTrainer trainer = null;
        for (Outcome o : GENERATE.run(new GenerateStage.Input(program, net))) {
            if (o instanceof Outcome.Generated g) {
                if (Outcome.INT8.equals(g.kind())) {
                    inference = (GeneratedInference) g.source();
                } else {
                    trainer = (GeneratedTrainer) g.source();
                }
            } else if (o instanceof Outcome.Skipped) {
                throw new CommandException(EdgeNN.USAGE, "network " + net.name()
                        + " declares no loss and so no train block data: there are no held-out examples to verify on");
            } else {
                Outcome.Unsupported u = (Outcome.Unsupported) o;
                throw new CommandException(EdgeNN.USAGE, "no " + u.kind() + " for " + u.network() + ": " + u.reason());
            }
        }
        InMemoryCompiler.Result compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(trainer, inference),
                GeneratedClasses.class.getClassLoader(), sourceRoot);
        return new GeneratedClasses(trainer, inference, sourceRoot, compiled);
    }

    Path inferenceSource() {
        return sourceRoot.resolve(inference.relativePath());
    }

    /** A new trainer whose relative data paths resolve against {@code dataDir}. */
    Object newTrainer(Path dataDir) throws ReflectiveOperationException {
        Object t = compiled.load(trainer.qualifiedName()).getConstructor().newInstance();
        t.getClass().getField("dataDir").set(t, dataDir);
        return t;
    }

    /** The generated network with its weights from {@code artifact}, one sample per run. */
    Int8Network load(Path artifact) throws IOException, ReflectiveOperationException {
        Class<?> c = compiled.load(inference.qualifiedName());
        try {
            return (Int8Network) c.getMethod("load", Path.class, int.class).invoke(null, artifact, 1);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** The generated {@code float[] infer(float[])}: one sample in its logical layout, quantized, run, dequantized. */
    Method infer() throws ReflectiveOperationException {
        return compiled.load(inference.qualifiedName()).getMethod("infer", float[].class);
    }
}
