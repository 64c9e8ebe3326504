package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.UnsupportedInferenceException;
import org.edgenn.generator.pipeline.OnnxExportStage;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.OnnxInt8Export;
import org.edgenn.runtime.io.AtomicFiles;
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
        NetworkArguments.Selected selected = subject.select(err);
        if (selected.exit() != null) return selected.exit();
        Network net = selected.network();
        Path sources = Files.createTempDirectory("edgenn-export-onnx");
        try {
            VerifyCommand.Artifact artifact = VerifyCommand.Artifact.of(model, net.name());
            OnnxExportStage.Exported e = export(net, artifact.safetensors(), sources);
            AtomicFiles.write(out, e.onnx());
            stdout.printf("wrote %s: network %s as ONNX (opset %d), input uint8 %s, %d layers%n", out, net.name(),
                    OnnxExportStage.subByteWeights(net).isEmpty() ? org.edgenn.onnx.proto.OnnxModels.OPSET : 21L,
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

    /**
     * Generates and compiles {@code net}'s int8 class with ECJ, loads {@code safetensors} with batch 1 and exports it
     * ({@link OnnxExportStage}); an artifact that cannot be loaded is a usage error.
     */
    static OnnxExportStage.Exported export(Network net, Path safetensors, Path sources) throws Exception {
        try {
            return OnnxExportStage.export(net, safetensors, new EclipseCompiler(), sources);
        } catch (java.io.IOException e) {
            throw new CommandException(EdgeNN.USAGE, e.getMessage());
        }
    }
}
