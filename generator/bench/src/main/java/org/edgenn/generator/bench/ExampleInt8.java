package org.edgenn.generator.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.inference.Compiled;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.SyntheticArtifact;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.onnx.export.Nchw;
import org.edgenn.onnx.export.OnnxInt8Export;

/**
 * One example network ready on both sides of the end-to-end comparison: its generated {@code <Network>Int8}
 * class compiled in memory and loaded (batch 1) with a synthetic artifact, and the same int8 network as an ONNX
 * model in an ONNX Runtime session with one thread. Latency does not depend on the weights' values, only on
 * shapes, so the synthetic artifact is enough for benchmarks; accuracy is the training benchmarks' business.
 */
public final class ExampleInt8 implements AutoCloseable {
    public final Int8Network net;
    /** Logical input shape ({@code [C, H, W]} or {@code [F]}) and the random int8 input both sides run. */
    public final int[] inputShape;
    public final byte[] input;
    public final byte[] output;
    public final OrtSession session;
    public final OnnxTensor ortInput;

    private ExampleInt8(Int8Network net, int[] inputShape, byte[] input, OrtSession session, OnnxTensor ortInput) {
        this.net = net;
        this.inputShape = inputShape;
        this.input = input;
        this.output = new byte[net.outputSize()];
        this.session = session;
        this.ortInput = ortInput;
    }

    /** Network {@code name} of {@code examples/src/main/edgenn/<file>} on the given kernels. */
    public static ExampleInt8 load(String file, String name, Backend backend, Path workDir) throws Exception {
        return load(file, name, backend, workDir, false);
    }

    /** As {@link #load(String, String, Backend, Path)}; {@code everyLayer} exports every layer's output too. */
    public static ExampleInt8 load(String file, String name, Backend backend, Path workDir, boolean everyLayer) throws Exception {
        Network ir = LoweredExamples.network(file, name);
        Compiled compiled = Compiled.of(InferenceGenerator.generate(ir));
        Files.createDirectories(workDir);
        Path artifact = workDir.resolve(name + ".safetensors");
        SyntheticArtifact.write(ir, artifact, 42);
        Int8Network net = compiled.load(artifact, 1, backend);
        int[] shape = (int[]) compiled.type().getField("INPUT_SHAPE").get(null);
        byte[] in = new byte[net.inputSize()];
        new Random(7).nextBytes(in);
        byte[] out = new byte[net.outputSize()];
        net.run(in, out);   // the exporter reads the layers' buffers of a run

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(1);
        opts.setInterOpNumThreads(1);
        opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session = env.createSession(OnnxInt8Export.export(net, shape, in, everyLayer), opts);
        OnnxTensor tensor = OnnxTensor.createTensor(env, ByteBuffer.wrap(Nchw.toU8(Nchw.fromNhwc(in, shape))),
                OnnxInt8Export.nchw(shape), ai.onnxruntime.OnnxJavaType.UINT8);
        return new ExampleInt8(net, shape, in, session, tensor);
    }

    /** EdgeNN's int8 output for the prepared input. */
    public byte[] runEdgeNN() {
        net.run(input, output);
        return output;
    }

    /** ONNX Runtime's uint8 output as its Java API hands it over (the benchmarked path). */
    public ByteBuffer runOrtRaw() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of("input", ortInput))) {
            return ((OnnxTensor) r.get("output").orElseThrow()).getByteBuffer();
        }
    }

    /** ONNX Runtime's output for the same input, as int8 in EdgeNN's memory order (NHWC images). */
    public byte[] runOrt() throws OrtException {
        return runOrtOutputs().get("output");
    }

    /** Every graph output of ONNX Runtime's run (the network's and, if exported, each layer's), as EdgeNN's int8. */
    public Map<String, byte[]> runOrtOutputs() throws OrtException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (OrtSession.Result r = session.run(Map.of("input", ortInput))) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) out.put(e.getKey(), toInt8((OnnxTensor) e.getValue()));
        }
        return out;
    }

    private static byte[] toInt8(OnnxTensor t) throws OrtException {
        ByteBuffer b = t.getByteBuffer();
        byte[] u8 = new byte[b.remaining()];
        b.get(u8);
        byte[] s8 = new byte[u8.length];
        for (int i = 0; i < u8.length; i++) s8[i] = (byte) (u8[i] - 128);
        long[] shape = t.getInfo().getShape();
        return shape[2] * shape[3] > 1 ? Nchw.toNhwc(s8, (int) shape[1], (int) shape[2], (int) shape[3]) : s8;
    }

    @Override
    public void close() throws OrtException {
        ortInput.close();
        session.close();
    }
}
