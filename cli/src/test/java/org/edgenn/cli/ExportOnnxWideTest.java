package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.edgenn.generator.inference.SyntheticArtifact;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16-bit activations against ONNX Runtime: a LISTA with an int16 state and int4 S_k, exported by {@code edgenn
 * export-onnx} with int16 QuantizeLinear / DequantizeLinear (opset 21) around float Conv and Add and an int32 soft
 * threshold, runs in ONNX Runtime within one unit (1 LSB of int16) of the generated class's 16-bit output.
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
    void onnxRuntimeRunsTheSixteenBitStateWithinOneUnit(@TempDir Path dir) throws Exception {
        Network ir = LoweredExamples.text(dir, "lista16.edgenn", TEXT, "Lista16");
        Path artifact = dir.resolve("Lista16.safetensors");
        SyntheticArtifact.write(ir, artifact, 17);
        Path onnx = dir.resolve("Lista16.onnx");
        CliRun run = CliRun.of("export-onnx", dir.resolve("lista16.edgenn").toString(), "--network", "Lista16",
                "--model", dir.toString(), "--out", onnx.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("opset 21"), run.out());

        ExportOnnxCommandTest.assertWithinOneUnit("Lista16 (int16 state, int4 S)", ir, artifact, onnx, 16);
    }
}
