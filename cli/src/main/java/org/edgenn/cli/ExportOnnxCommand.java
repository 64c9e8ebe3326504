package org.edgenn.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.UnsupportedInferenceException;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.OnnxInt8Export;
import org.edgenn.runtime.io.AtomicFiles;
import org.edgenn.runtime.net.Int8Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn export-onnx FILE --network N --model DIR --out F.onnx}: the int8 network the generated class runs
 * (its weights from the trained artifact) as an ONNX model with QLinear/QDQ ops, for ONNX Runtime and other ONNX
 * tools. The model is built from the loaded network's prepared layers, so it cannot drift from the generated code.
 * Input and output are uint8 NCHW with batch 1 (EdgeNN's int8 value + 128). Exit 0, or 2 on bad usage or input.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write a trained int8 network as an ONNX model (QLinearConv and QDQ ops; uint8 NCHW input/output, batch 1).")
public final class ExportOnnxCommand implements Callable<Integer> {
    @Mixin
    NetworkArguments subject;

    @Option(names = "--model", required = true, paramLabel = "DIR_OR_SAFETENSORS",
            description = "the trained artifact N.safetensors, or the directory holding it")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "F.onnx", description = "the ONNX file to write")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Loaded loaded = Loaded.check(subject.files, err);
        if (loaded.exit() != null) return loaded.exit();
        Network net = subject.network(loaded.workspace().program(), err);
        if (net == null) return EdgeNN.USAGE;
        Path sources = Files.createTempDirectory("edgenn-export-onnx");
        try {
            VerifyCommand.Artifact artifact = VerifyCommand.Artifact.of(model, net.name());
            Exported e = export(net, artifact.safetensors(), sources);
            AtomicFiles.write(out, e.onnx());
            stdout.printf("wrote %s: network %s as ONNX (opset %d), input uint8 %s, %d layers%n", out, net.name(),
                    subByteWeights(net).isEmpty() ? org.edgenn.onnx.proto.OnnxModels.OPSET : 21L,
                    java.util.Arrays.toString(OnnxInt8Export.nchw(e.inputShape())),
                    e.layers());
            stdout.flush();
            return EdgeNN.OK;
        } catch (UnsupportedInferenceException | OnnxInt8Export.UnsupportedLayerException e) {
            err.println("edgenn: error: " + e.getMessage());
            err.flush();
            return EdgeNN.USAGE;
        } catch (CommandException e) {
            err.println("edgenn: error: " + e.getMessage());
            err.flush();
            return e.exit();
        } finally {
            VerifyCommand.deleteTree(sources);
        }
    }

    /** The exported model, the network's logical input shape and its layer count. */
    record Exported(byte[] onnx, int[] inputShape, int layers) {
    }

    /**
     * Generates and compiles {@code net}'s int8 class, loads {@code safetensors} with batch 1, runs it once (the
     * exporter tells the input buffer from constant ones by the last run's input) and exports it.
     */
    static Exported export(Network net, Path safetensors, Path sources) throws Exception {
        GeneratedInference inference = InferenceGenerator.generate(net);
        InMemoryCompiler.Result compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(inference),
                ExportOnnxCommand.class.getClassLoader(), sources);
        Class<?> c = compiled.load(inference.qualifiedName());
        Int8Network int8;
        try {
            int8 = (Int8Network) c.getMethod("load", Path.class, int.class).invoke(null, safetensors, 1);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw new CommandException(EdgeNN.USAGE, "cannot load " + safetensors + ": " + io.getMessage());
            }
            throw e;
        }
        int[] shape = (int[]) c.getField("INPUT_SHAPE").get(null);
        // any input will do; a random one cannot be mistaken for a constant buffer (a state's zeros)
        byte[] input = new byte[int8.inputSize()];
        new Random(1).nextBytes(input);
        int8.run(input, new byte[int8.outputSize()]);
        return new Exported(OnnxInt8Export.export(int8, shape, input, false, subByteWeights(net)), shape, int8.layers().size());
    }

    /** The layers whose declared weight width is below 8 bits (exported as ONNX int4), by node name. */
    static java.util.Map<String, Integer> subByteWeights(Network net) {
        java.util.Map<String, Integer> bits = new java.util.HashMap<>();
        for (org.edgenn.ir.graph.Node n : net.inferenceNodes()) {
            if (n.weights().isEmpty() || n.op() instanceof org.edgenn.ir.ops.Source) {
                continue;
            }
            var q = net.compression().weightsOf(net.weight(n.weights().get(0)).layer());
            if (q != null && q.bits() < 8) {
                bits.put(n.name(), q.bits());
            }
        }
        return bits;
    }
}
