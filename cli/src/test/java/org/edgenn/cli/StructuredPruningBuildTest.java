package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured pruning end to end through {@code edgenn build}: the trainer prunes half of fc1's output channels (and
 * their biases), exports the compact layers (fc1 16 -> 16, fc2 reading 16 inputs), the generated int8 code is planned
 * on the compact network, the mapping table sees the small layers, and verification against the hardware model is
 * bit-exact with every access count equal.
 */
class StructuredPruningBuildTest {

    private static final String SOURCE = "package pruned\n\n" + Sources.small() + """

            network Mlp {
              input y: f32[16]
              label x_true: f32[32]
              layer fc1 = dense(16 -> 32)
              layer fc2 = dense(32 -> 32)
              let h = relu(fc1(y))
              let x = fc2(h)
              output x
              loss mse(x, x_true)
              compress {
                weights int8 per-channel
                activations int8
                prune 50% channels on fc1
                budget macs < 800, memory < 2 KiB
              }
            }

            train Mlp {
              data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=6400, test=64) -> y, x_true
              optimizer adam(lr=1e-3)
              epochs 2
              batch 16
              prune from epoch 0 to 1
              seed 2
            }
            """;

    @TempDir
    Path dir;

    @Test
    void theCompactNetworkIsTrainedExportedGeneratedMappedAndVerified() throws Exception {
        Path file = dir.resolve("mlp.edgenn");
        Files.writeString(file, SOURCE);
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("build", file.toString(), "--network", "Mlp", "--target", "Small", "--out", out.toString(),
                "--epochs", "2", "--batches-per-epoch", "4", "--samples", "64");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("bit-exact on 64 held-out examples"), run.out());
        assertTrue(run.out().contains("every access count equal"), run.out());
        // the mapping table's fc1 has 16 output channels, fc2 16 inputs
        var table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("Mlp.mapping.json").toFile());
        int seen = 0;
        for (var layer : table.get("layers")) {
            if (layer.get("name").asText().equals("fc1")) {
                assertEquals(16, layer.get("bounds").get("K").asInt());
                seen++;
            } else if (layer.get("name").asText().equals("fc2")) {
                assertEquals(16, layer.get("bounds").get("C").asInt());
                assertEquals(32, layer.get("bounds").get("K").asInt());
                seen++;
            }
        }
        assertEquals(2, seen);
        // 16 x 16 + 16 x 32 MACs instead of 16 x 32 + 32 x 32: the budget of 800 holds only for the compact network
        CliRun check = CliRun.of("check", file.toString());
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("768"), check.out());
    }
}
