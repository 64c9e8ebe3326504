package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training steps(n=N)}: every cost-feasible candidate is trained for N optimizer steps and its held-out task
 * metric (NMSE in dB for LISTA) is the {@code loss} objective. The reference is {@code edgenn train} run on the
 * concrete front file with one epoch of N batches: the same number, for every design of the front.
 */
class ExploreTrainingTest {
    static final String FAMILY = """
        network Tiny($depth: {1, 3}, $untied: bool) {
          input y: f32[16]
          label x_true: f32[32]
          layer We = dense(16 -> 32, bias=false, init=dictionary_t)
          layer S[$depth if $untied] = dense(32 -> 32, bias=false, init=ista_s)
          param theta[$depth]: f32[1] = 0.1
          let b = We(y)
          state x: f32[32] = 0
          unroll $depth as k {
            x = shrink(b + S[k](x), theta[k])
          }
          output x
          loss nmse(x, x_true)
          compress {
            weights int8 per-channel
            activations int8
          }
        }

        accelerator Acc {
          mac int8 accumulator int32
          clock 100 MHz
          axis rows 4 unrolls K
          axis cols 4 unrolls C
          area per pe 400 um2
          memory gbuf size 8 KiB bandwidth 16 B/cycle holds W, I, O read 1 pJ/B area 5 um2/B
          memory dram bandwidth 4 B/cycle holds W, I, O read 50 pJ/B
        }

        train Tiny {
          data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=2000, test=200) -> y, x_true
          optimizer adam(lr=1e-3)
          epochs 1
          batch 32
          seed 3
        }

        explore Trained {
          networks Tiny
          accelerators Acc
          minimize energy, loss
          training steps(n=STEPS)
          strategy grid
        }
        """;
    static final int STEPS = 12;

    @TempDir
    Path dir;

    @Test
    void theLossObjectiveIsTheHeldOutMetricEdgennTrainGives() throws Exception {
        Path file = dir.resolve("trained.edgenn");
        Files.writeString(file, FAMILY.replace("STEPS", "" + STEPS));
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("explore", file.toString(), "--out", out.toString(), "--threads", "2");
        assertEquals(EdgeNN.OK, run.exit(), run.out() + run.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(out.resolve("explore.json").toFile());
        assertEquals(4, root.get("candidates").asInt());
        List<Double> losses = new ArrayList<>();
        for (JsonNode r : root.get("all")) {
            assertTrue(r.get("feasible").asBoolean(), r.toString());
            double loss = r.get("metrics").get("loss").asDouble();
            assertEquals(loss, r.get("metrics").get("nmse_db").asDouble(), 0.0, "loss is the NMSE in dB itself");
            losses.add(loss);
        }
        assertNotEquals(losses.get(0), losses.get(losses.size() - 1), "the designs train to different NMSE");
        JsonNode front = root.get("front");
        assertTrue(front.size() >= 1);
        for (JsonNode r : front) {
            Path design = out.resolve(r.get("file").asText());
            Path trained = dir.resolve("train-" + design.getFileName());
            CliRun train = CliRun.of("train", design.toString(), "--network", "Tiny", "--epochs", "1", "--batches-per-epoch", "" + STEPS,
                    "--out", trained.toString());
            assertEquals(EdgeNN.OK, train.exit(), train.out() + train.err());
            JsonNode metrics = json.readTree(trained.resolve("Tiny.metrics.json").toFile());
            JsonNode int8 = metrics.path("int8").get("nmse_db");
            double reference = int8 != null ? int8.asDouble() : metrics.get("float").get("nmse_db").asDouble();
            assertEquals(reference, r.get("metrics").get("loss").asDouble(), 1e-9, design + ": " + metrics);
        }
    }
}
