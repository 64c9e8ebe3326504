package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
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
import org.edgenn.onnx.export.Nchw;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.tensor.ActivationBytes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code edgenn export-onnx} on examples with an artifact of random weights: ONNX Runtime runs the written file on
 * random inputs within one unit (1 LSB) of the generated int8 class, compiled independently here and run on the
 * scalar kernels. (ONNX Runtime requantizes in float, EdgeNN in fixed point, hence the unit; recurrent networks
 * such as LISTA can compound it over their steps and are compared layer by layer in generator/bench.)
 */
class ExportOnnxCommandTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({"fmnist/fashion_cnn.edgenn, FashionCnn", "fmnist/fashion_cnn.edgenn, FashionTiny"})
    void onnxRuntimeRunsTheExportWithinOneUnitOfTheGeneratedCode(String file, String name, @TempDir Path dir) throws Exception {
        Network ir = LoweredExamples.network(file, name);
        Path artifact = dir.resolve(name + ".safetensors");
        SyntheticArtifact.write(ir, artifact, 11);
        Path onnx = dir.resolve(name + ".onnx");
        CliRun run = CliRun.of("export-onnx", CliRun.EXAMPLES.resolve(file).toString(), "--network", name,
                "--model", dir.toString(), "--out", onnx.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("wrote " + onnx), run.out());

        assertWithinOneUnit(name, ir, artifact, onnx, 4);
    }

    /**
     * Runs {@code samples} random inputs through the generated int8 class of {@code ir} (scalar kernels, weights from
     * {@code artifact}) and through ONNX Runtime on {@code onnx}; every output value agrees within one unit.
     */
    static void assertWithinOneUnit(String name, Network ir, Path artifact, Path onnx, int samples) throws Exception {
        Compiled compiled = Compiled.of(InferenceGenerator.generate(ir));
        Int8Network net = compiled.load(artifact, 1, Backend.SCALAR);
        int[] shape = (int[]) compiled.type().getField("INPUT_SHAPE").get(null);
        if (net.inputQuant().bits() > 8) throw new IllegalArgumentException(name + ": the comparison feeds int8 inputs");
        int outBits = net.outputQuant().bits();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Random random = new Random(5);
        int max = 0;
        try (OrtSession session = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions())) {
            for (int sample = 0; sample < samples; sample++) {
                byte[] in = new byte[net.inputBytes()];
                random.nextBytes(in);
                byte[] raw = new byte[net.outputBytes()];
                net.run(in, raw);
                int[] ours = new int[net.outputSize()];
                for (int i = 0; i < ours.length; i++) ours[i] = ActivationBytes.get(raw, i, outBits);
                int[] theirs;
                try (OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(Nchw.toU8(Nchw.fromNhwc(in, shape))),
                        Nchw.shape(shape), OnnxJavaType.UINT8);
                     OrtSession.Result r = session.run(Map.of("input", t))) {
                    OnnxTensor o = (OnnxTensor) r.get("output").orElseThrow();
                    long[] os = o.getInfo().getShape();
                    if (outBits > 8) {
                        // int16 outputs: a vector (the planner runs 16-bit activations through vectors and images alike,
                        // but an int16 network output image has no NHWC conversion here)
                        java.nio.ShortBuffer b = o.getShortBuffer();
                        theirs = new int[b.remaining()];
                        for (int i = 0; i < theirs.length; i++) theirs[i] = b.get(i);
                    } else {
                        ByteBuffer b = o.getByteBuffer();
                        byte[] u8 = new byte[b.remaining()];
                        b.get(u8);
                        byte[] s8 = Nchw.toS8(u8);
                        // an image output comes back NCHW; the generated code's is NHWC
                        byte[] v = os.length == 4 && os[2] * os[3] > 1 ? Nchw.toNhwc(s8, (int) os[1], (int) os[2], (int) os[3]) : s8;
                        theirs = new int[v.length];
                        for (int i = 0; i < v.length; i++) theirs[i] = v[i];
                    }
                }
                assertEquals(ours.length, theirs.length);
                for (int i = 0; i < ours.length; i++) {
                    max = Math.max(max, Math.abs(ours[i] - theirs[i]));
                    assertTrue(Math.abs(ours[i] - theirs[i]) <= 1, name + " sample " + sample + " [" + i + "]: generated " + ours[i] + ", ONNX Runtime " + theirs[i]);
                }
            }
        }
        System.out.printf("%s: ONNX Runtime vs generated code, max difference %d%n", name, max);
    }

    @org.junit.jupiter.api.Test
    void aMissingModelIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("export-onnx", CliRun.EXAMPLES.resolve("fmnist/fashion_cnn.edgenn").toString(), "--network", "FashionCnn",
                "--model", dir.toString(), "--out", dir.resolve("x.onnx").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no model " + dir.resolve("FashionCnn.safetensors")), run.err());
        assertTrue(Files.notExists(dir.resolve("x.onnx")));
    }
}
