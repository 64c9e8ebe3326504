package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.ir.spec.ExploreSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network with a curriculum (ALISTA's stage-wise recipe) and a cosine schedule trained through halving's rungs (2, 6,
 * 18 steps, each continued from the one before) ends where one training to 18 steps ends: the held-out int8 NMSE of
 * {@code training steps(n=18)} (the exploration's uninterrupted path, no checkpoint involved; it depends on the weights
 * and on the activation ranges observed over every step), and the arrays of a rung trained to 18 steps in one go. The
 * curriculum runs in the first rung only.
 */
class CurriculumRungsTest {
    static final String TEXT = """
        network AlistaT($depth: {2, 3}) {
          input y: f32[16]
          label x_true: f32[32]
          fixed layer A = dense(32 -> 16, bias=false, init=dictionary)
          fixed layer Wt = dense(16 -> 32, bias=false, init=alista_w)
          param gamma[$depth]: f32[1] = 1.0
          param theta[$depth]: f32[1] = 0.4
          state x: f32[32] = 0
          unroll $depth as k {
            x = ss(x + gamma[k] * Wt(y - A(x)), theta[k], p=1.2, pmax=13)
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

        train AlistaT {
          data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=2000, test=100) -> y, x_true
          optimizer adam(lr=2e-2)
          schedule cosine()
          curriculum stagewise(steps=2, eval=2, better_wait=2)
          epochs 1
          batch 32
          seed 5
        }

        explore X {
          networks AlistaT
          accelerators Acc
          minimize energy, loss
          training TRAINING
          strategy grid
        }
        """;
    static final Candidate CANDIDATE = new Candidate("AlistaT", Map.of("$depth", "3"), "Acc", Map.of());

    @TempDir
    Path dir;

    private Evaluator evaluator(String training) {
        Path file = dir.resolve(training.substring(0, training.indexOf('(')) + ".edgenn");
        String text = TEXT.replace("TRAINING", training);
        ExploreSpec spec = ExploreLowering.lower(Template.parse(file, text).explore("X")).explore();
        return new Evaluator(file, text, "X", spec.budgets(), spec.training(), ScheduleMode.NETWORK);
    }

    @Test
    void aCurriculumNetworkTrainedRungByRungEndsAsOneTrainingToItsLastRung() throws IOException {
        Evaluator rungs = evaluator("halving(min_steps=2, max_steps=18, eta=3)");
        Path previous = null;
        Map<Integer, Map<String, Double>> byRung = new LinkedHashMap<>();
        for (int steps : List.of(2, 6, 18)) {
            Path to = dir.resolve("rung-" + steps + ".ckpt");
            byRung.put(steps, rungs.trainRung(CANDIDATE, steps, previous, to));
            previous = to;
        }
        assertEquals(3 * 3 * 2, byRung.get(2).get("curriculum_steps"), "the first rung runs the curriculum (3 stages, 3 phases of 2 steps): " + byRung.get(2));
        for (int steps : List.of(6, 18)) {
            assertEquals(0.0, byRung.get(steps).get("curriculum_steps"), "rung " + steps + " continues the saved state: " + byRung.get(steps));
            assertEquals(1.0, byRung.get(steps).get("continued"));
        }

        // the reference: training steps(n=18), one uninterrupted training without any checkpoint
        Result direct = evaluator("steps(n=18)").evaluate(CANDIDATE, Evaluator.Stage.QUICK);
        assertTrue(direct.feasible(), direct.problems().toString());
        assertEquals(direct.metrics().get("nmse_db"), byRung.get(18).get("nmse_db"), 1e-6, "held-out NMSE (int8) after 18 steps");
        assertTrue(Math.abs(byRung.get(2).get("nmse_db") - byRung.get(18).get("nmse_db")) > 1e-3, "the rungs train: " + byRung);

        // the state: every graph array, Adam moment and observer range as one rung trained to 18 steps from scratch leaves them
        Path once = dir.resolve("once.ckpt");
        Map<String, Double> one = rungs.trainRung(CANDIDATE, 18, null, once);
        assertEquals(byRung.get(18).get("nmse_db"), one.get("nmse_db"), 1e-6);
        Map<String, float[]> a = arrays(once), b = arrays(previous);
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("u/")), "Adam's moments are saved: " + a.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 1e-6f, k);
        }
    }

    /** The arrays of a continuation checkpoint (a zip of ND4J-serialized arrays), by name. */
    private static Map<String, float[]> arrays(Path ckpt) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(ckpt.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.getName().startsWith("array/")) {
                    try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
                        out.put(e.getName().substring("array/".length()), Nd4j.read(in).ravel().toFloatVector());
                    }
                }
            }
        }
        return out;
    }
}
