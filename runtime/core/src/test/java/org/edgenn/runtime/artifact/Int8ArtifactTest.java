package org.edgenn.runtime.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.edgenn.runtime.quant.QuantParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact contract: names, the training-to-inference layout change (against hand indexing), typed errors. */
class Int8ArtifactTest {
    @TempDir
    Path dir;

    @Test
    void convWeightsComeBackAsOhwiWithTheirScales() throws Exception {
        int kh = 2, kw = 3, cg = 4, k = 5;
        byte[] training = new byte[kh * kw * cg * k];
        for (int i = 0; i < training.length; i++) training[i] = (byte) (i * 7 - 100);
        float[] scales = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        Path f = dir.resolve("m.safetensors");
        new Int8Artifact.Writer().int8("conv_weight", new long[] {kh, kw, cg, k}, training, scales)
                .int32("conv_bias", new long[] {k}, new int[] {10, -20, 30, -40, 50}, new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f})
                .activation("conv", new QuantParams(0.25f, -3)).float32("theta_0", new long[] {1}, new float[] {0.125f}).write(f);
        try (Int8Artifact a = Int8Artifact.open(f)) {
            Int8Artifact.Weights w = a.conv("conv_weight", k, kh, kw, cg);
            for (int o = 0; o < k; o++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        for (int c = 0; c < cg; c++) {
                            assertEquals(training[((y * kw + x) * cg + c) * k + o], w.values()[((o * kh + y) * kw + x) * cg + c]);
                        }
            assertArrayEquals(scales, w.scales().toArray());
            assertArrayEquals(new float[] {5, -10, 15, -20, 25}, a.biasReal("conv_bias", k));
            assertEquals(new QuantParams(0.25f, -3), a.activation("conv"));
            assertArrayEquals(new float[] {0.125f}, a.floats("theta_0", 1));
        }
    }

    @Test
    void denseLayoutRoundTripsAndAPerTensorScaleRepeats() throws Exception {
        byte[] runtime = {1, 2, 3, 4, 5, 6};   // [out=2][in=3]
        byte[] training = WeightLayout.denseToTraining(runtime, 3, 2);
        assertArrayEquals(new byte[] {1, 4, 2, 5, 3, 6}, training);
        Path f = dir.resolve("d.safetensors");
        new Int8Artifact.Writer().int8("fc", new long[] {3, 2}, training, new float[] {0.5f}).write(f);
        try (Int8Artifact a = Int8Artifact.open(f)) {
            Int8Artifact.Weights w = a.dense("fc", 3, 2);
            assertArrayEquals(runtime, w.values());
            assertArrayEquals(new float[] {0.5f, 0.5f}, w.scales().toArray());
        }
    }

    @Test
    void missingAndMisShapedTensorsNameTheTensorAndTheFile() throws Exception {
        Path f = dir.resolve("bad.safetensors");
        new Int8Artifact.Writer().int8("fc", new long[] {3, 2}, new byte[6], new float[] {0.5f, 0.5f}).write(f);
        try (Int8Artifact a = Int8Artifact.open(f)) {
            ArtifactFormatException missing = assertThrows(ArtifactFormatException.class, () -> a.activation("x_3_add"));
            assertTrue(missing.getMessage().contains("'act.x_3_add.scale' is missing") && missing.getMessage().contains(f.toString()),
                    missing.getMessage());
            ArtifactFormatException shape = assertThrows(ArtifactFormatException.class, () -> a.dense("fc", 2, 3));
            assertTrue(shape.getMessage().contains("'fc' has shape [3, 2], expected [2, 3]"), shape.getMessage());
        }
    }
}
