package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar of honest compression on a small LISTA: int4 weights on the large layers (S), an int16 state and 2:4
 * sparsity build with {@code edgenn build} and verify bit for bit against the hardware model of an accelerator with
 * 16-bit MAC operands and a 2:4 zero-skipping unit; the mapping table's weight bytes are params × bits / 8, and the
 * stored values params × bits / 8 × density on this target (its 2-bit N:M indices apart). An accelerator with 8-bit
 * operands refuses the 16-bit state at the text.
 */
class MixedPrecisionBuildTest {
    private static final String SOURCE = "package mixed\n\n"
            + Sources.accelerator("Wide", "int16 accumulator int32", "sparse weights skip nm 2:4") + Sources.small()
            + Sources.tinyLista("Mixed", """
                    weights int8 per-channel
                    activations int8
                    weights int4 per-channel on S
                    activations int16 on x
                    prune 2:4 on S""") + """

            train Mixed {
              data synthetic_sparse(m=16, n=32, sparsity=0.1, samples=6400, test=64) -> y, x_true
              optimizer adam(lr=1e-3)
              epochs 3
              batch 16
              prune from epoch 1 to 2
              seed 3
            }
            """;

    @TempDir
    static Path dir;
    static Path file;
    static Path out;
    static CliRun build;

    @BeforeAll
    static void buildIt() throws Exception {
        file = dir.resolve("mixed.edgenn");
        Files.writeString(file, SOURCE);
        out = dir.resolve("out");
        build = CliRun.of("build", file.toString(), "--network", "Mixed", "--target", "Wide", "--out", out.toString(),
                "--epochs", "3", "--batches-per-epoch", "3", "--samples", "64");
    }

    @Test
    void buildsAndVerifiesBitExactOnTheSixteenBitTarget() throws Exception {
        assertEquals(0, build.exit(), build.out() + build.err());
        assertTrue(build.out().contains("bit-exact on 64 held-out examples"), build.out());
        assertTrue(build.out().contains("every access count equal"), build.out());
        // the figures are named by the declared widths, in the checks and the report
        assertTrue(build.out().contains("(a) int8+int4 weights / int16+int8 activations kernels vs Wide"), build.out());
        assertTrue(Files.readString(out.resolve("report.html")).contains("int8+int4 weights / int16+int8 activations (generated code)"));
        String generated = Files.readString(out.resolve("src/mixed/MixedInt8.java"));
        assertTrue(generated.contains("x_0_add = new byte[batch * 32 * 2];"), "the state's buffers hold two bytes per value");
        // the artifact: the state observed at 16 bits, S packed at 4 bits with exactly 2 zeros in every 4 weights
        try (Int8Artifact a = Int8Artifact.open(out.resolve("Mixed.safetensors"))) {
            assertEquals(16, a.activation("x_0_add").bits());
            assertEquals(8, a.activation("S_0").bits());
            byte[] s1 = a.dense("S_1_weight", 32, 32).values();
            for (int g = 0; g < s1.length; g += 4) {
                int zeros = 0;
                for (int i = g; i < g + 4; i++) {
                    zeros += s1[i] == 0 ? 1 : 0;
                    assertTrue(s1[i] >= -8 && s1[i] <= 7, "int4 value " + s1[i]);
                }
                assertTrue(zeros >= 2, "2:4 group at " + g + " keeps " + (4 - zeros));
            }
        }
    }

    @Test
    void mappingTableWeightBytesAreParamsTimesBitsTimesDensity() throws Exception {
        assertEquals(0, build.exit(), build.out() + build.err());
        JsonNode table = new ObjectMapper().readTree(out.resolve("Mixed.mapping.json").toFile());
        Map<String, JsonNode> layers = new HashMap<>();
        for (JsonNode l : table.get("layers")) layers.put(l.get("name").asText(), l);
        // We: 16 x 32 int8, dense; S[k]: 32 x 32 int4, 2:4 pruned, on a target that skips zeros and stores the 2 kept
        // values of every 4 with a log2(4) = 2-bit index each
        JsonNode we = layers.get("We");
        assertEquals(16 * 32 * 8 / 8.0, we.get("weightBytes").asDouble(), 0.0);
        assertTrue(we.get("sparsity") == null || we.get("sparsity").isNull(), "We is dense");
        for (int k = 0; k < 3; k++) {
            JsonNode s = layers.get("S[" + k + "]");
            long params = 32 * 32;
            assertEquals(4, s.get("precisionBits").get("W").asInt());
            if (k > 0) assertEquals(16, s.get("precisionBits").get("I").asInt(), "S[k>0] reads the int16 state");
            assertEquals(params * 4 / 8.0, s.get("weightBytes").asDouble(), 0.0, "params x bits / 8");
            JsonNode sparse = s.get("sparsity");
            assertEquals(0.5, sparse.get("weightDensity").asDouble(), 0.0);
            assertEquals(params * 4 / 8.0 * 0.5, sparse.get("storedWeightBytes").asDouble(), 0.0, "x density: the target skips zeros");
            assertEquals(params * 0.5 * 2 / 8.0, sparse.get("weightIndexBytes").asDouble(), 0.0, "2-bit index per kept value");
            assertEquals(params / 2, sparse.get("effectiveMacs").asLong(), "MACs doing work");
        }
    }

    @Test
    void anAcceleratorWithEightBitOperandsRefusesTheSixteenBitStateAtTheText() {
        CliRun r = CliRun.of("map", file.toString(), "--network", "Mixed", "--target", "Small", "--out", dir.resolve("small").toString());
        assertTrue(r.exit() != 0, r.out() + r.err());
        assertTrue(r.err().matches("(?s).*mixed\\.edgenn:\\d+:\\d+: error: int16 is wider than the 8-bit MAC operands of Small.*"), r.err());
    }
}
