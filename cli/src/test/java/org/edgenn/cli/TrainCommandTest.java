package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgenn train}: generate, compile with ECJ, train in-process, write the artifacts; data errors before training. */
class TrainCommandTest {

    @TempDir
    Path dir;

    /** A 3-step LISTA on synthetic sparse codes: a network every training test can afford. */
    static final String TINY = "package tiny\n\n" + Sources.tinyLista("Tiny", """
            weights int8 per-channel
            activations int8""") + """

            train Tiny {
              data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=6400, test=64) -> y, x_true
              optimizer adam(lr=1e-3)
              schedule cosine()
              epochs 5
              batch 16
              seed 2
            }
            """;

    @Test
    void trainWritesWeightsMetricsCurveAndTheTrainerSource() throws Exception {
        Path f = dir.resolve("tiny.edgenn");
        Files.writeString(f, TINY);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("train", f.toString(), "--network", "Tiny", "--epochs", "1", "--batches-per-epoch", "3", "--out", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("epoch 1/1 [") && r.err().contains("3/3 loss") && r.err().contains("nmse_db"), r.err());
        assertTrue(r.out().contains("Tiny: final loss"), r.out());
        assertTrue(Files.readString(out.resolve("src/tiny/TinyTrainer.java")).contains("public final class TinyTrainer"));
        try (SafetensorsReader st = SafetensorsReader.open(out.resolve("Tiny.safetensors"))) {
            assertEquals(16 * 32, st.readInt8("We_weight").length);
            assertEquals(32, st.readFloat32("S_2_weight.scale").length, "per-channel scales");
            assertTrue(st.readFloat32("theta_2")[0] > 0);
            assertTrue(st.names().contains("act.y.scale"), st.names().toString());
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("Tiny.metrics.json").toFile());
        String text = json.toString();
        assertTrue(text.contains("nmse_db"), text);
        assertTrue(countOf(text, "nmse_db") >= 2, "float and int8 metric: " + text);
        byte[] png = Files.readAllBytes(out.resolve("Tiny.curve.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void missingIdxDataIsAClearErrorBeforeTraining() throws Exception {
        Path f = dir.resolve("idx.edgenn");
        Files.writeString(f, Sources.digitsWithMissingIdx("nowhere/train-images-idx3-ubyte", "nowhere/train-labels-idx1-ubyte"));
        CliRun r = CliRun.of("train", f.toString(), "--network", "Digits", "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("edgenn: error: Digits: idx images file ") && r.err().contains("nowhere/train-images-idx3-ubyte does not exist"), r.err());
        assertFalse(r.err().contains("epoch 1/1"), "no training started: " + r.err());
        assertFalse(Files.exists(dir.resolve("out/Digits.safetensors")));
    }

    @Test
    void dataOfTheWrongShapeIsAClearErrorBeforeTraining() throws Exception {
        Path f = dir.resolve("shape.edgenn");
        Files.writeString(f, TINY.replace("synthetic_sparse(m=16, n=32", "synthetic_sparse(m=20, n=32"));
        CliRun r = CliRun.of("train", f.toString(), "--network", "Tiny", "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("[batch, 16]") || r.err().contains("16"), r.err());
        assertFalse(r.err().contains("epoch 1/"), "no training started: " + r.err());
    }

    @Test
    void unknownNetworkIsBadUsage() throws Exception {
        Path f = dir.resolve("tiny.edgenn");
        Files.writeString(f, TINY);
        CliRun r = CliRun.of("train", f.toString(), "--network", "Nope", "--out", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no network Nope; networks: [Tiny]"), r.err());
    }

    private static int countOf(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
