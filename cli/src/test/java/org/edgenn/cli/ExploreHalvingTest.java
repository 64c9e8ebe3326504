package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training halving(...)} with the real generated trainer: every network of the cost-feasible candidates is
 * trained to the first rung, the best 1/eta by held-out NMSE go on, continuing from their saved state; every rung is
 * stored, and a run killed with SIGKILL during the rungs and resumed ends with the uninterrupted run's results.
 */
class ExploreHalvingTest {
    static final String FAMILY = ExploreTrainingTest.FAMILY
            .replace("$depth: {1, 3}", "$depth: {1, 2, 3}")
            .replace("accelerator Acc {", "accelerator Acc($rows: {4, 8}) {")
            .replace("axis rows 4 unrolls K", "axis rows $rows unrolls K")
            .replace("training steps(n=STEPS)", "training halving(min_steps=4, max_steps=36, eta=3)");
    static final int NETWORKS = 6;

    @TempDir
    Path dir;

    @Test
    void theBestThirdGoesOnFromItsSavedStateAndAKilledRunResumesToTheSameResults() throws Exception {
        Path file = dir.resolve("halving.edgenn");
        Files.writeString(file, FAMILY);
        Path straight = dir.resolve("straight");
        CliRun run = CliRun.of("explore", file.toString(), "--out", straight.toString(), "--threads", "2");
        assertEquals(EdgeNN.OK, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("training halving (eta 3): 6 networks, 9 rung trainings"), run.out());

        // the stored rungs: 6 networks at 4 steps, the best 2 of them at 12, the best of those at 36
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Map<String, JsonNode>> byRung = new TreeMap<>();
        try (Stream<Path> s = Files.list(straight.resolve("training"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode o = json.readTree(p.toFile());
                byRung.computeIfAbsent(o.get("steps").asInt(), k -> new HashMap<>()).put(o.get("unit").asText(), o);
            }
        }
        assertEquals(List.of(4, 12, 36), new ArrayList<>(byRung.keySet()));
        assertEquals(List.of(NETWORKS, 2, 1), byRung.values().stream().map(Map::size).toList());
        int[] rungs = {4, 12, 36};
        for (int i = 1; i < rungs.length; i++) {
            Map<String, JsonNode> previous = byRung.get(rungs[i - 1]);
            int keep = byRung.get(rungs[i]).size();
            List<String> best = previous.keySet().stream().sorted(Comparator.comparingDouble((String u) ->
                    previous.get(u).get("metrics").get("loss").asDouble()).thenComparing(u -> u)).limit(keep).sorted().toList();
            assertEquals(best, byRung.get(rungs[i]).keySet().stream().sorted().toList(), "rung " + rungs[i]);
            for (JsonNode o : byRung.get(rungs[i]).values()) {
                assertEquals(rungs[i - 1], o.get("fromSteps").asInt(), o.toString());
                assertEquals(1.0, o.get("metrics").get("continued").asDouble(), "continued from the saved state: " + o);
            }
        }
        try (Stream<Path> s = Files.list(straight.resolve("training"))) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".ckpt")), "checkpoints deleted at the end");
        }
        JsonNode a = json.readTree(straight.resolve("explore.json").toFile());
        for (JsonNode r : a.get("all")) {
            String unit = r.get("key").asText().substring(0, r.get("key").asText().indexOf('@'));
            int reached = (int) r.get("metrics").get("train_steps").asDouble();
            assertEquals(byRung.get(reached).get(unit).get("metrics").get("loss").asDouble(), r.get("metrics").get("loss").asDouble(),
                    0.0, unit + ": the loss of the last rung its network reached");
            assertEquals(List.of(4, 12, 36).indexOf(reached), r.get("metrics").get("rung").asInt());
            assertTrue(byRung.keySet().stream().filter(k -> k > reached).noneMatch(k -> byRung.get(k).containsKey(unit)));
        }
        String csv = Files.readString(straight.resolve("explore.csv"));
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",loss,rung,train_steps,feasible,on_screening_front,problems"), csv);
        assertTrue(Files.readString(straight.resolve("report.html")).contains("stopped at 36 steps"));

        // SIGKILL during the rungs, then --resume
        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.edgenn.cli.EdgeNN",
                "explore", file.toString(), "--out", killed.toString(), "--threads", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (rungsStored(killed) < NETWORKS + 1 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        int before = rungsStored(killed);
        assertTrue(before > NETWORKS && before < 9, "killed during the rungs: " + before + " of 9 stored\n"
                + Files.readString(dir.resolve("child.log")));
        CliRun resumed = CliRun.of("explore", file.toString(), "--out", killed.toString(), "--resume", "--threads", "2");
        assertEquals(EdgeNN.OK, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("9 rung trainings (" + before + " from the store)"), resumed.out());
        JsonNode b = json.readTree(killed.resolve("explore.json").toFile());
        assertEquals(a.get("all"), b.get("all"), "every candidate, its rung and its loss as in the uninterrupted run");
        assertEquals(a.get("front"), b.get("front"));
    }

    private static int rungsStored(Path out) throws Exception {
        Path t = out.resolve("training");
        if (!Files.isDirectory(t)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(t)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        }
    }
}
