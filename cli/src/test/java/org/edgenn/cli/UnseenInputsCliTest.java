package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's mistakes on the command line: each is a one-line error naming the file or option and what is wrong,
 * with a usage exit code; no stack trace ("internal error" is reserved for defects).
 */
class UnseenInputsCliTest {
    @TempDir
    Path dir;

    private static final String NET = """
            network Small {
              input image: f32[4, 6, 6]
              let a = relu(conv2d(image, 4 -> 8, kernel=3, padding=1))
              output a
            }
            """;

    private Path net() throws Exception {
        Path p = dir.resolve("small.edgenn");
        Files.writeString(p, NET);
        return p;
    }

    private static void assertClean(CliRun r) {
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
    }

    @Test
    void anOutputDirectoryThatIsAFileIsAnErrorNotACrash() throws Exception {
        Path file = dir.resolve("taken");
        Files.writeString(file, "x");
        CliRun r = CliRun.of("map", net().toString(), CliRun.EXAMPLES.resolve("targets/tiny16.edgenn").toString(),
                "--network", "Small", "--target", "Tiny16", "--out", file.toString());
        assertEquals(EdgeNN.USAGE, r.exit(), r.err());
        assertClean(r);
        assertTrue(r.err().contains(file + ": error: cannot read or write: exists and is not a directory"), r.err());
        assertEquals("x", Files.readString(file), "the file is left as it was");
    }

    @Test
    void aNegativeOrZeroLayerBudgetIsRefused() throws Exception {
        for (String budget : new String[] {"-PT2S", "PT0S"}) {
            CliRun r = CliRun.of("map", net().toString(), CliRun.EXAMPLES.resolve("targets/tiny16.edgenn").toString(),
                    "--network", "Small", "--target", "Tiny16", "--out", dir.resolve("o").toString(), "--layer-budget", budget);
            assertEquals(EdgeNN.USAGE, r.exit(), budget + ": " + r.err());
            assertTrue(r.err().contains("a time budget is positive, not " + budget), r.err());
            assertFalse(Files.exists(dir.resolve("o")), "nothing written");
        }
    }

    @Test
    void aMissingZigZagMappingFileIsNamedAsMissing() throws Exception {
        Path hw = dir.resolve("hw.yaml");
        Files.writeString(hw, ZIGZAG_HW);
        Path edgenn = dir.resolve("hw.edgenn");
        assertEquals(0, CliRun.of("import-zigzag", hw.toString(), "--out", edgenn.toString()).exit());
        Path wl = dir.resolve("wl.yaml");
        Files.writeString(wl, """
                - id: 0
                  operator_type: Conv
                  equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
                  dimension_relations: [ix=1*ox+1*fx, iy=1*oy+1*fy]
                  loop_dims: [B, K, C, OY, OX, FY, FX]
                  loop_sizes: [1, 8, 8, 6, 6, 3, 3]
                  operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
                """);
        Path none = dir.resolve("none.yaml");
        CliRun r = CliRun.of("map", edgenn.toString(), "--zigzag-workload", wl.toString(), "--network", "Wl",
                "--target", "Unseen", "--out", dir.resolve("o").toString(), "--zigzag-mapping", none.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(none + ": error: cannot read or write: no such file or directory"), r.err());
        assertClean(r);
    }

    @Test
    void importZigZagReportsEachProblemInItsOwnFileOnItsOwnLine() throws Exception {
        Path hw = dir.resolve("hw.yaml");
        Files.writeString(hw, ZIGZAG_HW.replace("size: 16", "size: -16"));
        Path mapping = dir.resolve("map.yaml");
        Files.writeString(mapping, "- name: default\n  spatial_mapping:\n    D9: ['K, 4']\n");
        CliRun r = CliRun.of("import-zigzag", hw.toString(), "--mapping", mapping.toString());
        assertEquals(EdgeNN.INPUT_ERRORS, r.exit(), r.err());
        assertTrue(r.err().contains(hw + ": error: memories.reg_o.size: must be positive, not -16\n"), r.err());
        assertTrue(r.err().contains(mapping + ": error: default.spatial_mapping.D9: not a dimension of the hardware's "
                + "operational_array [D1, D2]\n"), r.err());
        assertEquals("", r.out(), "no accelerator text for a broken file");
    }

    /** Windows editors save UTF-8 with a byte-order mark, and CRLF line ends: both read as the text they mark. */
    @Test
    void aByteOrderMarkAndCrlfLineEndsReadAsTheText() throws Exception {
        Path target = dir.resolve("target.edgenn");
        Files.writeString(target, "\uFEFF" + Files.readString(CliRun.EXAMPLES.resolve("targets/tiny16.edgenn")).replace("\n", "\r\n"));
        Path net = dir.resolve("bom.edgenn");
        Files.writeString(net, "\uFEFFimport \"target.edgenn\"\r\n" + NET.replace("\n", "\r\n"));
        CliRun r = CliRun.of("check", net.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("network Small (2 layers)"), r.out());
        // positions stay the editor's: the mark is not a column
        Files.writeString(net, "\uFEFFnetwork N {\r\n  input x: f32[16]\r\n  layer L = dense(8 -> 4)\r\n  let y = L(x)\r\n  output y\r\n}\r\n");
        r = CliRun.of("check", net.toString());
        assertEquals(net + ":4:13: error: dense expects 8 input features, got 16\n1 error\n", r.err());
    }

    @Test
    void importOnnxNamesAMissingModelAsMissing() {
        Path none = dir.resolve("none.onnx");
        CliRun r = CliRun.of("import-onnx", none.toString(), "--out", dir.resolve("o").toString());
        assertEquals(EdgeNN.USAGE, r.exit(), r.err());
        assertEquals(none + ": error: cannot read or write: no such file or directory\n", r.err());
        CliRun d = CliRun.of("import-onnx", dir.toString(), "--out", dir.resolve("o").toString());
        assertEquals(dir + ": error: cannot read or write: it is a directory\n", d.err());
        assertFalse(Files.exists(dir.resolve("o")), "nothing written");
    }

    /** {@code --out "$DIR"} or {@code check "$FILE"} with the variable unset: the current directory was meant by nobody. */
    @Test
    void anEmptyPathOrFileArgumentIsRefused() throws Exception {
        CliRun out = CliRun.of("map", net().toString(), CliRun.EXAMPLES.resolve("targets/tiny16.edgenn").toString(),
                "--network", "Small", "--target", "Tiny16", "--out", "");
        assertEquals(EdgeNN.USAGE, out.exit(), out.err());
        assertTrue(out.err().startsWith("Invalid value for option '--out': an empty path names no file or directory"), out.err());
        assertEquals("", out.out(), "nothing mapped or written");
        for (String[] args : new String[][] {{"check", ""}, {"check", net().toString(), "  "},
                {"map", "", "--network", "Small", "--target", "Tiny16", "--out", dir.resolve("o").toString()}}) {
            CliRun r = CliRun.of(args);
            assertEquals(EdgeNN.USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals("edgenn: error: an empty argument names no .edgenn file\n", r.err(), String.join(" ", args));
            assertEquals("", r.out(), "no file below the current directory checked");
        }
        assertFalse(Files.exists(dir.resolve("o")));
    }

    /** One argument matching nothing among good ones: the error was printed and the command exited 0. */
    @Test
    void anArgumentMatchingNothingFailsEvenBesideGoodFiles() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty-folder"));
        CliRun r = CliRun.of("check", net().toString(), empty.toString());
        assertEquals(EdgeNN.USAGE, r.exit(), r.err());
        assertEquals("edgenn: error: no .edgenn files match " + empty + "\n", r.err());
    }

    static final String ZIGZAG_HW = """
            name: unseen
            memories:
              reg_o:
                size: 16
                r_cost: 0.02
                w_cost: 0.02
                area: 0
                latency: 1
                operands: [O]
                ports:
                  - {name: r_port_1, type: read, bandwidth_min: 16, bandwidth_max: 16, allocation: ['O, tl', 'O, th']}
                  - {name: w_port_1, type: write, bandwidth_min: 16, bandwidth_max: 16, allocation: ['O, fh', 'O, fl']}
                served_dimensions: []
              dram:
                size: 10000000000
                r_cost: 700
                w_cost: 750
                area: 0
                latency: 1
                operands: [I1, I2, O]
                ports:
                  - {name: rw_port_1, type: read_write, bandwidth_min: 8, bandwidth_max: 64}
                served_dimensions: [D1, D2]
            operational_array:
              unit_energy: 0.04
              unit_area: 1
              dimensions: [D1, D2]
              sizes: [4, 4]
            """;
}
