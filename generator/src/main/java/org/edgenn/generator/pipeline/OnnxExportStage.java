package org.edgenn.generator.pipeline;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.tools.JavaCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.UnsupportedInferenceException;
import org.edgenn.generator.training.InMemoryCompiler;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.OnnxInt8Export;
import org.edgenn.runtime.net.Int8Network;

/**
 * A trained network's int8 form as ONNX (QLinear/QDQ ops, uint8 NCHW input and output, batch 1): generates and
 * compiles the network's int8 class, loads its trained artifact and exports the loaded layers, so the model cannot
 * drift from the generated code. Used by {@code edgenn export-onnx} and the Maven plugin's {@code onnx} option.
 */
public final class OnnxExportStage {

    /** The exported model, the network's logical input shape (NHWC) and its layer count. */
    public record Exported(byte[] onnx, int[] inputShape, int layers) {
    }

    private OnnxExportStage() {
    }

    /**
     * Exports {@code net} with the weights of {@code safetensors}; {@code sources} is a scratch directory for the
     * generated class. Throws {@link IOException} when the artifact cannot be read or does not fit the network.
     */
    public static Exported export(Network net, Path safetensors, JavaCompiler compiler, Path sources)
            throws IOException, UnsupportedInferenceException, OnnxInt8Export.UnsupportedLayerException {
        GeneratedInference inference = InferenceGenerator.generate(net);
        InMemoryCompiler.Result compiled;
        try {
            compiled = InMemoryCompiler.compile(compiler, List.of(inference), OnnxExportStage.class.getClassLoader(), sources);
        } catch (InMemoryCompiler.CompilationException e) {
            throw new IllegalStateException("the generated int8 class of " + net.name() + " does not compile", e);
        }
        Int8Network int8;
        int[] shape;
        try {
            Class<?> c = compiled.load(inference.qualifiedName());
            int8 = (Int8Network) c.getMethod("load", Path.class, int.class).invoke(null, safetensors, 1);
            shape = (int[]) c.getField("INPUT_SHAPE").get(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IOException("cannot load " + safetensors + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("the generated class of " + net.name() + " failed to load", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the generated class of " + net.name() + " lacks load/INPUT_SHAPE", e);
        }
        // the exporter tells the input buffer from constant ones by the last run's input; a random input cannot be
        // mistaken for a constant buffer (a state's zeros)
        byte[] input = new byte[int8.inputBytes()];
        new Random(1).nextBytes(input);
        int8.run(input, new byte[int8.outputBytes()]);
        return new Exported(OnnxInt8Export.export(int8, shape, input, false, subByteWeights(net)), shape, int8.layers().size());
    }

    /** The layers whose declared weight width is below 8 bits (exported as ONNX int4), by node name. */
    public static java.util.Map<String, Integer> subByteWeights(Network net) {
        java.util.Map<String, Integer> bits = new java.util.HashMap<>();
        for (org.edgenn.ir.graph.Node n : net.inferenceNodes()) {
            if (n.weights().isEmpty() || n.op().sourceRole() != null) {
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
