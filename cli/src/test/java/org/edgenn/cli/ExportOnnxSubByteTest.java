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
 * Sub-byte weights against ONNX Runtime: a CNN with int4 weights on its large layers and int2 on its classifier,
 * exported by {@code edgenn export-onnx} with int4 initializers through {@code DequantizeLinear} (opset 21), runs in
 * ONNX Runtime within one unit (1 LSB) of the generated int8 class, which unpacked the same weights from the artifact.
 */
class ExportOnnxSubByteTest {
    private static final String TEXT = """
            network Cnn4 {
              input image: f32[1, 12, 12]
              let c1 = relu(conv2d(image, 1 -> 8, kernel=3, padding=1))
              let p1 = maxpool(c1, kernel=2)
              let c2 = relu(conv2d(p1, 8 -> 16, kernel=3, padding=1))
              let h = relu(dense(flatten(c2), 576 -> 32))
              let logits = dense(h, 32 -> 10)
              output logits
              compress {
                weights int8 per-channel
                activations int8
                weights int4 on c2, h
                weights int2 on logits
              }
            }
            """;

    @Test
    void onnxRuntimeRunsInt4WeightsWithinOneUnit(@TempDir Path dir) throws Exception {
        Network ir = LoweredExamples.text(dir, "cnn4.edgenn", TEXT, "Cnn4");
        Path artifact = dir.resolve("Cnn4.safetensors");
        SyntheticArtifact.write(ir, artifact, 13);
        Path onnx = dir.resolve("Cnn4.onnx");
        CliRun run = CliRun.of("export-onnx", dir.resolve("cnn4.edgenn").toString(), "--network", "Cnn4",
                "--model", dir.toString(), "--out", onnx.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("opset 21"), run.out());

        ExportOnnxCommandTest.assertWithinOneUnit("Cnn4 (int4/int2 weights)", ir, artifact, onnx, 8);
    }
}
