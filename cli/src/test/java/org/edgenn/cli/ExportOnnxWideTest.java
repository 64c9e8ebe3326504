package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.inference.Compiled;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.SyntheticArtifact;
import org.edgenn.generator.pipeline.OnnxExportStage;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.Nchw;
import org.edgenn.onnx.export.OnnxInt8Export;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.tensor.ActivationBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16-bit activations against ONNX Runtime: a LISTA with an int16 state and int4 S_k, exported with int16
 * QuantizeLinear / DequantizeLinear (opset 21) around float Conv and Add and an int32 soft threshold. Layer by layer,
 * each layer run by the hardware model (16-bit operands) on ONNX Runtime's own inputs is within one unit (1 LSB of its
 * width, int16 or int8) of ONNX Runtime's output for that layer, as the int8 cross-check of LISTA does: ONNX Runtime
 * requantizes in float, EdgeNN in fixed point. End to end the unit differences of the int8 S_k outputs are carried
 * into the int16 state scaled by s_S / s_x (hundreds of int16 units, less than one int8 unit): printed, not asserted.
 */
class ExportOnnxWideTest {
    private static final String TEXT = """
            network Lista16 {
              input y: f32[24]
              layer We = dense(24 -> 48, bias=false)
              layer S[3] = dense(48 -> 48, bias=false)
              param theta[3]: f32[1] = 0.1
              let b = We(y)
              state x: f32[48] = 0
              unroll 3 as k {
                x = shrink(b + S[k](x), theta[k])
              }
              output x
              compress {
                weights int8 per-channel
                activations int8
                weights int4 on S
                activations int16 on x
              }
            }
            """;

    @Test
    void everyLayerIsWithinOneUnitOfOnnxRuntime(@TempDir Path dir) throws Exception {
        Network ir = LoweredExamples.text(dir, "lista16.edgenn", TEXT, "Lista16");
        Path artifact = dir.resolve("Lista16.safetensors");
        SyntheticArtifact.write(ir, artifact, 17);
        // the command writes an opset-21 model ONNX Runtime loads
        Path onnx = dir.resolve("Lista16.onnx");
        CliRun run = CliRun.of("export-onnx", dir.resolve("lista16.edgenn").toString(), "--network", "Lista16",
                "--model", dir.toString(), "--out", onnx.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("opset 21"), run.out());

        Compiled compiled = Compiled.of(InferenceGenerator.generate(ir));
        Int8Network net = compiled.load(artifact, 1, Backend.SCALAR);
        int[] shape = (int[]) compiled.type().getField("INPUT_SHAPE").get(null);
        FunctionalModel hw = new FunctionalModel(new AcceleratorArithmetic("int16x32", 16, 32, RequantMode.DOUBLE_ROUNDING));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Random random = new Random(5);
        int endToEnd = 0, wideLayers = 0;
        for (int sample = 0; sample < 8; sample++) {
            byte[] in = new byte[net.inputBytes()];
            random.nextBytes(in);
            byte[] out = new byte[net.outputBytes()];
            net.run(in, out);
            byte[] model = OnnxInt8Export.export(net, shape, in, true, OnnxExportStage.subByteWeights(ir));
            Map<String, byte[]> ort = new HashMap<>();
            try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                 OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(Nchw.toU8(in)), Nchw.shape(shape), OnnxJavaType.UINT8);
                 OrtSession.Result r = session.run(Map.of("input", t))) {
                for (Map.Entry<String, OnnxValue> e : r) ort.put(e.getKey(), ourLayout((OnnxTensor) e.getValue()));
            }
            Map<byte[], String> producer = new IdentityHashMap<>();
            for (Int8Layer layer : net.layers()) {
                List<byte[]> inputs = new ArrayList<>();
                for (byte[] b : layer.inputs()) inputs.add(producer.containsKey(b) ? ort.get(OnnxInt8Export.LAYER_OUTPUT + producer.get(b)) : b);
                byte[] mine = new byte[layer.output().length];
                LayerCheck.execute(layer, inputs, mine, hw);
                byte[] theirs = ort.get(OnnxInt8Export.LAYER_OUTPUT + layer.name());
                assertEquals(mine.length, theirs.length, layer.name());
                int bits = layer.outputBits();
                wideLayers += bits > 8 ? 1 : 0;
                for (int i = 0; i < mine.length / ActivationBytes.bytesPerValue(bits); i++) {
                    int a = ActivationBytes.get(mine, i, bits), b = ActivationBytes.get(theirs, i, bits);
                    assertTrue(Math.abs(a - b) <= 1, "layer " + layer.name() + " (int" + bits + ") [" + i + "]: hardware model " + a + ", ONNX Runtime " + b);
                }
                producer.put(layer.output(), layer.name());
            }
            byte[] theirs = ort.get("output");
            for (int i = 0; i < net.outputSize(); i++) {
                endToEnd = Math.max(endToEnd, Math.abs(ActivationBytes.getShort(out, i) - ActivationBytes.getShort(theirs, i)));
            }
        }
        assertEquals(8 * 6, wideLayers, "the adds and soft thresholds of 3 steps write int16, in 8 samples");
        System.out.printf("Lista16: every layer within 1 unit of ONNX Runtime on its inputs; end to end up to %d int16 units%n", endToEnd);
    }

    /** An ONNX Runtime output as EdgeNN's buffer: int16 values two bytes each (little-endian), uint8 as int8. */
    private static byte[] ourLayout(OnnxTensor t) {
        if (t.getInfo().type == ai.onnxruntime.OnnxJavaType.INT16) {
            ShortBuffer s = t.getShortBuffer();
            byte[] b = new byte[2 * s.remaining()];
            for (int i = 0; i < s.remaining(); i++) ActivationBytes.setShort(b, i, s.get(i));
            return b;
        }
        ByteBuffer u = t.getByteBuffer();
        byte[] u8 = new byte[u.remaining()];
        u.get(u8);
        return Nchw.toS8(u8);
    }
}
