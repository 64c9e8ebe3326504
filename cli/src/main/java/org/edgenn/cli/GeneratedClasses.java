package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.training.GeneratedTrainer;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.net.Int8Network;

/**
 * A network's generated trainer (which knows the train block's data) and int8 inference class, written under a
 * source root and compiled together in memory with Eclipse JDT. The classes load in a child of the CLI's class
 * loader, so runtime-core's {@link Int8Network} is the same type on both sides.
 */
final class GeneratedClasses {
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
     * Generates both classes of {@code net} and compiles them.
     *
     * @throws org.edgenn.generator.inference.UnsupportedInferenceException when the network uses an op the int8
     *         inference generator does not support
     */
    static GeneratedClasses compile(Program program, Network net, Path sourceRoot, PrintWriter err)
            throws InMemoryCompiler.CompilationException, IOException {
        GeneratedTrainer trainer = TrainBlock.generate(program, net);
        GeneratedInference inference = InferenceGenerator.generate(net);
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
