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
        Path lbl = dir.resolve("lbl");
        CliRun r = CliRun.of("map", lista.toString(), "--network", "Lista", "--target", "Tiny16", "--out", lbl.toString(),
                "--schedule", "layer-by-layer");
        assertEquals(0, r.exit(), r.err());
        for (String ext : new String[] {"json", "csv", "md"}) {
            assertTrue(Files.size(lbl.resolve("Lista.mapping." + ext)) > 0, ext);
        }
        JsonNode json = new ObjectMapper().readTree(lbl.resolve("Lista.mapping.json").toFile());
        // layer by layer: We, then per step: S[k] (dense), the add and the shrink (element-wise passes); 49 in all
        JsonNode layers = json.get("layers");
        assertEquals(1 + 16 * 3, layers.size(), json.toPrettyString().substring(0, 400));
        assertTrue(json.path("schedule").isMissingNode(), "a layer-by-layer table has no schedule");
        // 4.125M MACs plus one operation per element of the 16 adds and 16 shrinks (500 each)
        assertTrue(r.out().contains("Lista on Tiny16 (edp): 49 layers, 4.141M operations"), r.out());
        assertTrue(r.err().contains("mapping ["), "progress is shown: " + r.err());

        // the default: the network schedule, 17 passes (the adds and shrinks fused into the S[k] before them)
        CliRun n = CliRun.of("map", lista.toString(), "--network", "Lista", "--target", "Tiny16", "--out", dir.toString());
        assertEquals(0, n.exit(), n.err());
        JsonNode net = new ObjectMapper().readTree(dir.resolve("Lista.mapping.json").toFile());
        assertEquals(17, net.get("layers").size());
        assertTrue(n.out().contains("Lista on Tiny16 (edp): 17 layers, 4.141M operations"), n.out());
        assertTrue(n.out().contains("network schedule: 17 passes (32 element-wise layers fused)"), n.out());
        // its comparison is the layer-by-layer run's totals; the network moves fewer DRAM bytes
        JsonNode schedule = net.get("schedule");
        assertEquals(json.get("totals").get("energyPj").asDouble(), schedule.get("layerByLayer").get("energyPj").asDouble(),
                1e-9 * json.get("totals").get("energyPj").asDouble());
        assertEquals(json.get("totals").get("dramBytes").asDouble(), schedule.get("layerByLayer").get("dramBytes").asDouble(), 1e-6);
        assertTrue(net.get("totals").get("dramBytes").asDouble() < json.get("totals").get("dramBytes").asDouble());
        assertEquals(2, net.get("layers").get(1).get("fused").size());

        CliRun bad = CliRun.of("map", lista.toString(), "--network", "Lista", "--target", "Tiny16", "--out", dir.toString(),
                "--schedule", "fused");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--schedule must be network, depth-first or layer-by-layer, not fused"), bad.err());
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
        // a ZigZag workload mapped, exported in ZigZag's format, and that file costed again: the same figures
        Path wl = dir.resolve("wl.yaml");
        Files.writeString(wl, """
                - id: 0
                  operator_type: Conv
                  equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
                  dimension_relations: [ix=1*ox+1*fx, iy=1*oy+1*fy]
                  loop_dims: [B, K, C, OY, OX, FY, FX]
                  loop_sizes: [1, 8, 8, 6, 6, 3, 3]
                  operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
                  operand_source: {I: 0, W: 0}
                """);
        Path exported = dir.resolve("exported.yaml");
        CliRun searched = CliRun.of("map", edgenn.toString(), "--zigzag-workload", wl.toString(), "--network", "Wl",
                "--target", "SmallArray", "--out", dir.resolve("a").toString(), "--export-zigzag", exported.toString());
        assertEquals(0, searched.exit(), searched.err());
        assertTrue(Files.readString(exported).contains("temporal_ordering"), Files.readString(exported));
        CliRun given = CliRun.of("map", edgenn.toString(), "--zigzag-workload", wl.toString(), "--network", "Wl",
                "--target", "SmallArray", "--out", dir.resolve("b").toString(), "--zigzag-mapping", exported.toString());
        assertEquals(0, given.exit(), given.err());
        JsonNode a = new ObjectMapper().readTree(dir.resolve("a/Wl.mapping.json").toFile()).get("totals");
        JsonNode b = new ObjectMapper().readTree(dir.resolve("b/Wl.mapping.json").toFile()).get("totals");
        assertEquals(a.get("energyPj").asDouble(), b.get("energyPj").asDouble(), 1e-6);
        assertEquals(a.get("latencyCycles").asDouble(), b.get("latencyCycles").asDouble(), 1e-9);
        CliRun missing = CliRun.of("import-zigzag", dir.resolve("none.yaml").toString());
        assertEquals(2, missing.exit());
        Files.writeString(hw, "name: [unclosed");
        assertEquals(1, CliRun.of("import-zigzag", hw.toString()).exit());
    }
}
