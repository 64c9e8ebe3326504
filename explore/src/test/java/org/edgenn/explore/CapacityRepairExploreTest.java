package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.ScheduleMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exploration's capacity repair: along the buffer axis of an accelerator family no candidate's EDP rises, although
 * the search alone does rise (the test requires some repaired candidate, else it checks nothing); a repaired candidate's
 * own search is what {@code edgenn map} finds on its concrete text, and its EDP is below it; and the metrics are the same
 * bit for bit whatever the order of evaluation, the thread count, the JVM's caches, or a resume after losing half the
 * stored results.
 */
class CapacityRepairExploreTest {
    static final String TEXT = """
            network Net($n: {64}, $deep: bool) {
              input x: f32[64]
              layer a = dense(64 -> $n, bias=false)
              layer s[2 if $deep] = dense($n -> $n, bias=false)
              let h = a(x)
              state z: f32[$n] = 0
              unroll 2 as k {
                z = relu(h + s[k](z))
              }
              output z
            }

            accelerator Acc($rows: {2, 4}, $kib: {1, 2, 4, 8}) {
              mac int8 accumulator int32
              clock 100 MHz
              axis rows $rows unrolls K
              axis cols 4 unrolls C
              memory rf size 16 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size $kib KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 2 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }

            explore Buffers {
              networks Net
              accelerators Acc
              minimize edp
              strategy grid
            }
            """;

    @TempDir
    Path dir;

    private Explorer.Outcome explore(Path out, boolean resume, int threads) throws Exception {
        Path file = dir.resolve("buffers.edgenn");
        Files.writeString(file, TEXT);
        try (Engine engine = new InProcessEngine(threads)) {
            return Explorer.run(new Explorer.Options(file, TEXT, null, out, resume, engine,
                    new PrintWriter(new StringWriter()), ScheduleMode.NETWORK));
        }
    }

    @Test
    void noCandidateGetsWorseWithALargerBufferInAnyOrderEngineOrResume() throws Exception {
        long t0 = System.nanoTime();
        LayerMappings.forgetForTests();
        Explorer.Outcome first = explore(dir.resolve("a"), false, 2);
        Map<String, Map<String, Double>> metrics = metrics(first.screened());
        assertEquals(16, metrics.size());

        // monotone along $kib, and the repair was needed: the search alone rose somewhere
        int pairs = 0;
        int searchedRises = 0;
        int repaired = 0;
        for (Result r : first.screened()) {
            assertTrue(r.feasible(), r.candidate().key() + ": " + r.problems());
            repaired += r.metrics().containsKey("edp_searched") ? 1 : 0;
            for (Result q : first.screened()) {
                if (!sameButBuffer(r.candidate(), q.candidate()) || kib(r.candidate()) >= kib(q.candidate())) {
                    continue;
                }
                pairs++;
                assertTrue(q.metric("edp") <= r.metric("edp") * (1 + 1e-12),
                        () -> q.candidate().key() + " " + q.metric("edp") + " > " + r.candidate().key() + " " + r.metric("edp"));
                searchedRises += searched(q) > searched(r) * (1 + 1e-12) ? 1 : 0;
            }
        }
        System.out.println("capacity pairs " + pairs + ", rises of the search alone " + searchedRises + ", repaired "
                + repaired + " of " + metrics.size());
        assertEquals(24, pairs);
        assertTrue(searchedRises >= 1 && repaired >= 1, "the search alone never rose: the test checks nothing");

        // a repaired candidate: its own search is edgenn map's on its concrete text, and the repair is below it
        for (Result r : first.screened()) {
            if (r.metrics().containsKey("edp_searched")) {
                NetworkMapping direct = DirectMapping.of(r, ScheduleMode.NETWORK);
                double edp = direct.totalEnergyPj() * 1e-12 * direct.totalLatencySeconds();
                assertEquals(edp, r.metric("edp_searched"), 1e-12 * edp, r.candidate().key());
                assertTrue(r.metric("edp") < edp, r.candidate().key());
            }
        }

        long t1 = System.nanoTime();
        // another order, one thread, a fresh evaluator and caches: every candidate alone, largest buffers first
        LayerMappings.forgetForTests();
        List<Candidate> reversed = new ArrayList<>(first.screened().stream().map(Result::candidate).toList());
        Collections.reverse(reversed);
        Path file = dir.resolve("buffers.edgenn");
        Evaluator alone = new Evaluator(file, TEXT, "Buffers", List.of());
        for (Candidate c : reversed) {
            assertEquals(metrics.get(c.key()), alone.evaluate(c, Evaluator.Stage.QUICK).metrics(), c.key());
        }
        long t2 = System.nanoTime();

        // resume after losing half the stored results, in a fresh JVM's state
        Path b = dir.resolve("b");
        explore(b, false, 1);
        List<Path> stored;
        try (Stream<Path> s = Files.list(b.resolve("candidates"))) {
            stored = s.filter(p -> p.getFileName().toString().startsWith("quick-")).sorted().toList();
        }
        for (int i = 0; i < stored.size(); i += 2) {
            Files.delete(stored.get(i));
        }
        LayerMappings.forgetForTests();
        Explorer.Outcome resumed = explore(b, true, 2);
        assertEquals(stored(metrics), stored(metrics(resumed.screened())));
        long t3 = System.nanoTime();
        System.out.printf("explore %.1f s, reversed %.1f s, resume %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9);
    }

    /** What the store keeps of each candidate's metrics: the finite ones (an area the family does not declare is NaN). */
    private static Map<String, Map<String, Double>> stored(Map<String, Map<String, Double>> m) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        m.forEach((k, v) -> {
            Map<String, Double> finite = new HashMap<>();
            v.forEach((name, x) -> {
                if (Double.isFinite(x)) {
                    finite.put(name, x);
                }
            });
            out.put(k, finite);
        });
        return out;
    }

    private static double searched(Result r) {
        return r.metrics().getOrDefault("edp_searched", r.metric("edp"));
    }

    private static Map<String, Map<String, Double>> metrics(List<Result> results) {
        Map<String, Map<String, Double>> m = new HashMap<>();
        results.forEach(r -> m.put(r.candidate().key(), r.metrics()));
        return m;
    }

    private static boolean sameButBuffer(Candidate a, Candidate b) {
        return a.networkBinding().equals(b.networkBinding())
                && a.acceleratorBinding().get("$rows").equals(b.acceleratorBinding().get("$rows"));
    }

    private static int kib(Candidate c) {
        return Integer.parseInt(c.acceleratorBinding().get("$kib"));
    }
}
