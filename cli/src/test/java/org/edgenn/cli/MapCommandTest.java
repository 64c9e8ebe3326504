package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgenn map}, latency/energy budgets in {@code edgenn check}, and {@code edgenn import-zigzag}. */
class MapCommandTest {

    @TempDir
    Path dir;

    @Test
    void mapWritesTheThreeTablesForEveryInferenceLayer() throws Exception {
        Path lista = CliRun.EXAMPLES.resolve("lista/lista.edgenn");
        CliRun r = CliRun.of("map", lista.toString(), "--network", "Lista", "--target", "Tiny16", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        for (String ext : new String[] {"json", "csv", "md"}) {
            assertTrue(Files.size(dir.resolve("Lista.mapping." + ext)) > 0, ext);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("Lista.mapping.json").toFile());
        // We, then per step: S[k] (dense), the add and the shrink (element-wise passes); 49 in all
        JsonNode layers = json.get("layers");
        assertEquals(1 + 16 * 3, layers.size(), json.toPrettyString().substring(0, 400));
        // 4.125M MACs plus one operation per element of the 16 adds and 16 shrinks (500 each)
        assertTrue(r.out().contains("Lista on Tiny16 (edp): 49 layers, 4.141M operations"), r.out());
        assertTrue(r.err().contains("mapping ["), "progress is shown: " + r.err());
    }

    @Test
    void checkReportsAnExceededLatencyBudgetAtItsText() throws Exception {
        Path target = CliRun.EXAMPLES.resolve("targets/tiny16.edgenn");
        Path f = dir.resolve("tight.edgenn");
        Files.writeString(f, "import \"" + target + "\"\nnetwork N {\n  input x: f32[256]\n"
                + "  let y = dense(x, 256 -> 256)\n  output y\n  compress { budget latency < 1 ns on Tiny16 }\n}\n");
        CliRun r = CliRun.of("check", f.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().matches("(?s)" + java.util.regex.Pattern.quote(f.toString())
                + ":6:31: error: latency \\S+ (ns|us|ms) > budget 1 ns on Tiny16\\n1 error\\n"), r.err());
    }

    @Test
    void unknownNetworkOrTargetIsBadUsage() {
        Path lista = CliRun.EXAMPLES.resolve("lista/lista.edgenn");
        CliRun r = CliRun.of("map", lista.toString(), "--network", "Nope", "--target", "Tiny16", "--out", dir.toString());
        assertEquals(2, r.exit());
        assertEquals("edgenn: error: no network Nope; networks: [Lista]\n", r.err());
        assertEquals(2, CliRun.of("map", lista.toString(), "--network", "Lista", "--target", "Tiny16",
                "--objective", "speed").exit());
    }

    @Test
    void zigZagImportProducesAnAcceleratorTheLanguageAccepts() throws Exception {
        Path hw = dir.resolve("hw.yaml");
        Files.writeString(hw, """
                name: small_array
                memories:
                  rf:
                    size: 64
                    r_cost: 0.04
                    w_cost: 0.04
                    area: 0
                    latency: 1
                    operands: [I1, I2, O]
                    ports:
                      - {name: r_port_1, type: read, bandwidth_min: 8, bandwidth_max: 8}
                      - {name: w_port_1, type: write, bandwidth_min: 8, bandwidth_max: 8}
                    served_dimensions: []
                  dram:
                    size: 10000000000
                    r_cost: 640
                    w_cost: 640
                    area: 0
                    latency: 1
                    operands: [I1, I2, O]
                    ports:
                      - {name: rw_port_1, type: read_write, bandwidth_min: 8, bandwidth_max: 64}
                    served_dimensions: [D1, D2]
                operational_array:
                  unit_energy: 0.3
                  unit_area: 1
                  dimensions: [D1, D2]
                  sizes: [8, 8]
                """);
        Path edgenn = dir.resolve("small.edgenn");
        CliRun r = CliRun.of("import-zigzag", hw.toString(), "--out", edgenn.toString());
        assertEquals(0, r.exit(), r.err());
        CliRun check = CliRun.of("check", edgenn.toString());
        assertEquals(0, check.exit(), Files.readString(edgenn) + "\n" + check.err());
        assertEquals("", check.err());
        CliRun missing = CliRun.of("import-zigzag", dir.resolve("none.yaml").toString());
        assertEquals(2, missing.exit());
        Files.writeString(hw, "name: [unclosed");
        assertEquals(1, CliRun.of("import-zigzag", hw.toString()).exit());
    }
}
