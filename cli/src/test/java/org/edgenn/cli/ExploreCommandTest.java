package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn explore}: an exploration killed with SIGKILL midway (a real child JVM, destroyed forcibly) and
 * resumed with --resume ends with the same front as one that ran through; the front's designs are concrete files
 * that {@code edgenn check} accepts; an existing result directory is not overwritten without --resume.
 */
class ExploreCommandTest {
    static final String SPACE = """
        network Deep($width: {64, 128, 256}, $depth: 1..4) {
          input x: f32[64]
          layer a = dense(64 -> $width)
          layer S[$depth] = dense($width -> $width)
          state h: f32[$width] = 0
          let u = a(x)
          unroll $depth as k {
            h = relu(u + S[k](h))
          }
          output h
        }

        accelerator Acc($rows: {4, 8, 16}, $kib: {8, 32}) {
          mac int8 accumulator int32
          clock 200 MHz
          axis rows $rows unrolls K
          axis cols 8 unrolls C
          area per pe 419 um2
          memory gbuf size $kib KiB bandwidth 32 B/cycle holds W, I, O read 1.5 pJ/B area 5 um2/B
          memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B
        }

        explore Sweep {
          networks Deep
          accelerators Acc
          minimize energy, latency, area
          strategy grid
        }
        """;
    static final int TOTAL = 3 * 4 * 3 * 2;

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidwayResumesToTheSameFront() throws Exception {
        Path file = dir.resolve("sweep.edgenn");
        Files.writeString(file, SPACE);
        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.edgenn.cli.EdgeNN",
                "explore", file.toString(), "--out", killed.toString(), "--threads", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path candidates = killed.resolve("candidates");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (stored(candidates) < 5 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        int before = stored(candidates);
        assertTrue(before >= 5 && before < TOTAL, "killed midway: " + before + " of " + TOTAL + " stored\n"
                + Files.readString(dir.resolve("child.log")));
        assertTrue(Files.notExists(killed.resolve("explore.json")), "the run did not finish");

        CliRun refused = CliRun.of("explore", file.toString(), "--out", killed.toString());
        assertEquals(EdgeNN.USAGE, refused.exit());
        assertTrue(refused.err().contains("--resume"), refused.err());

        CliRun resumed = CliRun.of("explore", file.toString(), "--out", killed.toString(), "--resume", "--threads", "2");
        assertEquals(EdgeNN.OK, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("(" + before + " from cache") || resumed.out().contains(before + " from cache"),
                resumed.out());
        CliRun straight = CliRun.of("explore", file.toString(), "--out", dir.resolve("straight").toString(), "--threads", "2");
        assertEquals(EdgeNN.OK, straight.exit(), straight.err());

        JsonNode a = new ObjectMapper().readTree(killed.resolve("explore.json").toFile());
        JsonNode b = new ObjectMapper().readTree(dir.resolve("straight").resolve("explore.json").toFile());
        assertEquals(TOTAL, a.get("candidates").asInt());
        assertEquals(b.get("front"), a.get("front"), "same front, same metrics, same files");
        assertEquals(b.get("screeningFront"), a.get("screeningFront"));
        assertEquals(TOTAL, stored(candidates) - a.get("front").size(), "each screened once, the front mapped once more");

        // the front's designs are concrete files that edgenn check accepts
        List<String> args = new ArrayList<>(List.of("check", "--quiet"));
        try (Stream<Path> s = Files.list(killed.resolve("front"))) {
            s.forEach(p -> args.add(p.toString()));
        }
        assertEquals(a.get("front").size() + 2, args.size());
        CliRun check = CliRun.of(args.toArray(String[]::new));
        assertEquals(EdgeNN.OK, check.exit(), check.err());
        assertTrue(Files.readString(killed.resolve("report.html")).contains("<svg"));
    }

    @Test
    void aFileWithoutAnExploreBlockIsAUsageErrorThatSaysSo() throws Exception {
        Path file = dir.resolve("plain.edgenn");
        Files.writeString(file, "network N {\n  input x: f32[4]\n  let y = relu(x)\n  output y\n}\n");
        CliRun r = CliRun.of("explore", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(EdgeNN.USAGE, r.exit());
        assertTrue(r.err().contains("declares no explore block"), r.err());
        assertTrue(Files.notExists(dir.resolve("out").resolve("explore.json")));
    }

    @Test
    void anUnknownScheduleIsAUsageErrorAndAnotherScheduleDoesNotResume() throws Exception {
        Path file = dir.resolve("sweep.edgenn");
        Files.writeString(file, SPACE.replace("$width: {64, 128, 256}, $depth: 1..4", "$width: {64}, $depth: 1..2")
                .replace("$rows: {4, 8, 16}, $kib: {8, 32}", "$rows: {4}, $kib: {8}"));
        CliRun bad = CliRun.of("explore", file.toString(), "--out", dir.resolve("bad").toString(), "--schedule", "fused");
        assertEquals(EdgeNN.USAGE, bad.exit());
        assertTrue(bad.err().contains("--schedule must be network, depth-first or layer-by-layer, not fused"), bad.err());
        assertTrue(Files.notExists(dir.resolve("bad")), "nothing written");
        CliRun deep = CliRun.of("explore", file.toString(), "--out", dir.resolve("deep").toString(), "--schedule", "depth-first");
        assertEquals(EdgeNN.USAGE, deep.exit());
        assertTrue(deep.err().contains("--schedule depth-first is for edgenn map and build"), deep.err());

        Path out = dir.resolve("lbl");
        CliRun lbl = CliRun.of("explore", file.toString(), "--out", out.toString(), "--schedule", "layer-by-layer");
        assertEquals(EdgeNN.OK, lbl.exit(), lbl.err());
        CliRun other = CliRun.of("explore", file.toString(), "--out", out.toString(), "--resume");
        assertEquals(EdgeNN.USAGE, other.exit());
        assertTrue(other.err().contains("schedule layer-by-layer there, network now"), other.err());
    }

    private static int stored(Path candidates) throws Exception {
        if (!Files.isDirectory(candidates)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(candidates)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        }
    }
}
