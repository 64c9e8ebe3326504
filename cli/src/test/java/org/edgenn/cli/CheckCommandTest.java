package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgenn check} as a user runs it: exit codes, diagnostics as path:line:col, tables. */
class CheckCommandTest {

    private static final Path EXAMPLES = CliRun.EXAMPLES;

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static List<String> examples() throws Exception {
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".edgenn")).map(Path::toString).sorted().toList();
        }
    }

    @Test
    void examplesAreCleanAndTabulated() throws Exception {
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(examples());
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("network Lista (49 layers)"), r.out());
        assertTrue(r.out().contains("4.125M parameters, 4.125M MACs per inference"), r.out());
        assertTrue(r.out().matches("(?s).*\\nc2\\.conv2d\\s+conv2d\\s+\\[64, 14, 14]\\s+18496\\s+3612672\\n.*"), r.out());
    }

    @Test
    void errorsArePrintedAsPathLineColumn() throws Exception {
        Path f = dir.resolve("bad.edgenn");
        Files.writeString(f, "network N {\n  input x: f32[16]\n  layer L = dense(8 -> 4)\n  let y = L(x)\n  output y\n}\n");
        CliRun r = run("check", f.toString());
        assertEquals(1, r.exit());
        assertEquals(f + ":4:13: error: dense expects 8 input features, got 16\n1 error\n", r.err());
    }

    @Test
    void warningsDoNotFail() throws Exception {
        Path f = dir.resolve("warn.edgenn");
        Files.writeString(f, "network N {\n  input x: f32[4]\n  layer L = dense(4 -> 4)\n  output x\n}\n");
        CliRun r = run("check", f.toString());
        assertEquals(0, r.exit());
        assertEquals(f + ":3:9: warning: L is never used\n", r.err());
    }

    @Test
    void missingFileIsBadUsage() {
        CliRun r = run("check", dir.resolve("nope.edgenn").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(dir.resolve("nope.edgenn") + ":1:1: error: no such file"), r.err());
    }

    @Test
    void emptyBinaryAndDirectoryInputsAreDiagnosed() throws Exception {
        Path empty = dir.resolve("empty.edgenn");
        Files.writeString(empty, "  \n");
        Path binary = dir.resolve("binary.edgenn");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, (byte) 0xff});
        Path latin1 = dir.resolve("latin1.edgenn");
        Files.write(latin1, new byte[] {'n', 'e', 't', (byte) 0xe9});
        for (Path p : List.of(empty, binary, latin1)) {
            CliRun r = run("check", p.toString());
            assertEquals(1, r.exit(), p + ": " + r.err());
            assertTrue(r.err().startsWith(p + ":1:1: error: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void truncatedExampleIsDiagnosedNotThrown() throws Exception {
        String text = Files.readString(EXAMPLES.resolve("lista/lista.edgenn"));
        Path f = EXAMPLES.resolve("lista").resolve("truncated-" + ProcessHandle.current().pid() + ".edgenn");
        try {
            Files.writeString(f, text.substring(0, text.indexOf("unroll 16 as k") + 20));
            CliRun r = run("check", f.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().lines().allMatch(l -> l.matches(".*:\\d+:\\d+: (error|warning): .*|\\d+ errors?")), r.err());
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void directoriesAndUnexpandedPatternsNameTheirFiles() throws Exception {
        CliRun all = run("check", EXAMPLES.toString());
        assertEquals(0, all.exit(), all.err());
        // examples/src/**: a deep pattern over the same files (examples/ also holds files outside the Maven build)
        CliRun pattern = run("check", EXAMPLES.getParent().getParent() + "/**/*.edgenn");
        assertEquals(0, pattern.exit(), pattern.err());
        assertEquals(all.out(), pattern.out());
        for (String network : List.of("Lista", "CscDenoiser", "FashionCnn", "Espcn", "UnrolledGradient")) {
            assertTrue(all.out().contains("network " + network + " ("), network);
        }
        CliRun none = run("check", dir + "/**/*.edgenn");
        assertEquals(2, none.exit());
        assertEquals("edgenn: error: no .edgenn files match " + dir + "/**/*.edgenn\n", none.err());
        Files.createDirectory(dir.resolve("empty-folder"));
        assertEquals(2, run("check", dir.resolve("empty-folder").toString()).exit());
    }

    @Test
    void commentOnlyFileDeclaresNothing() throws Exception {
        Path f = dir.resolve("comment.edgenn");
        Files.writeString(f, "// nothing here yet\n");
        CliRun r = run("check", f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(f + ":1:1: error: the file declares nothing"), r.err());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, run("check").exit());
        assertEquals(2, run("check", "--no-such-option", "x.edgenn").exit());
        assertEquals(2, run().exit());
        assertEquals(2, run("frobnicate").exit());
    }
}
