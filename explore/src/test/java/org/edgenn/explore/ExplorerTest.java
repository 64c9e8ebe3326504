package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.ir.spec.Budget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a space small enough to enumerate, grid and NSGA-II report exactly the brute-force Pareto front: every
 * candidate evaluated on its own (the test's own loops over the domains, the evaluator called directly) and the
 * non-dominated ones picked by the pairwise definition. Infeasible candidates carry their diagnostics.
 */
class ExplorerTest {
    private static final List<String> OBJECTIVES = List.of("energy", "latency", "area");
    private static List<Result> bruteForce;

    @TempDir
    Path dir;

    @BeforeAll
    static void evaluateEveryCandidate(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("small.edgenn");
        String text = SmallSpace.text("grid");
        Template t = Template.parse(file, text);
        List<Budget> budgets = ExploreLowering.lower(t.explore("Small")).explore().budgets();
        Evaluator e = new Evaluator(file, text, "Small", budgets);
        bruteForce = new ArrayList<>();
        for (int hidden : SmallSpace.HIDDEN) {
            for (int in : SmallSpace.IN) {
                for (int rows : SmallSpace.ROWS) {
                    for (int kib : SmallSpace.KIB) {
                        Map<String, String> n = new LinkedHashMap<>();
                        n.put("$hidden", "" + hidden);
                        n.put("$in", "" + in);
                        Map<String, String> a = new LinkedHashMap<>();
                        a.put("$rows", "" + rows);
                        a.put("$kib", "" + kib);
                        bruteForce.add(e.evaluate(new Candidate("Mlp", n, "Acc", a), Evaluator.Stage.QUICK));
                    }
                }
            }
        }
    }

    /** The classical definition, written here independently of {@link Pareto}. */
    private static Set<String> paretoKeys(List<Result> results) {
        Set<String> keys = new TreeSet<>();
        for (Result r : results) {
            if (!r.feasible()) {
                continue;
            }
            boolean dominated = results.stream().filter(Result::feasible).anyMatch(o -> {
                boolean allNoWorse = OBJECTIVES.stream().allMatch(m -> o.metric(m) <= r.metric(m));
                boolean oneBetter = OBJECTIVES.stream().anyMatch(m -> o.metric(m) < r.metric(m));
                return allNoWorse && oneBetter;
            });
            if (!dominated) {
                keys.add(r.candidate().key());
            }
        }
        return keys;
    }

    private Explorer.Outcome explore(String strategy, Path out) throws Exception {
        Path file = dir.resolve("small.edgenn");
        Files.writeString(file, SmallSpace.text(strategy));
        try (Engine engine = new InProcessEngine(2)) {
            return Explorer.run(new Explorer.Options(file, Files.readString(file), null, out, false, engine,
                    new PrintWriter(new StringWriter())));
        }
    }

    private static Set<String> keys(List<Result> results) {
        return results.stream().map(r -> r.candidate().key()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void gridReportsTheBruteForceFront() throws Exception {
        Explorer.Outcome o = explore("grid", dir.resolve("grid"));
        assertEquals(24, o.screened().size(), "every admitted candidate, once");
        Set<String> expected = paretoKeys(bruteForce);
        assertFalse(expected.isEmpty());
        assertEquals(expected, keys(o.screeningFront()));
        for (Result r : o.screened()) {
            Result reference = bruteForce.stream().filter(b -> b.candidate().key().equals(r.candidate().key())).findFirst().orElseThrow();
            assertEquals(reference.feasible(), r.feasible(), r.candidate().key());
            assertEquals(reference.metrics(), r.metrics(), r.candidate().key());
        }
    }

    @Test
    void nsga2ReportsTheBruteForceFrontAndRepeatsItselfForASeed() throws Exception {
        Explorer.Outcome a = explore("nsga2(population=12, generations=12, seed=3)", dir.resolve("a"));
        assertEquals(paretoKeys(bruteForce), keys(a.screeningFront()));
        Explorer.Outcome b = explore("nsga2(population=12, generations=12, seed=3)", dir.resolve("b"));
        assertEquals(a.screened().stream().map(r -> r.candidate().key()).toList(),
                b.screened().stream().map(r -> r.candidate().key()).toList(), "the same candidates in the same order");
        assertEquals(keys(a.front()), keys(b.front()));
    }

    @Test
    void randomDrawsDistinctCandidatesAndItsFrontIsTheirs() throws Exception {
        Explorer.Outcome o = explore("random(n=10, seed=5)", dir.resolve("random"));
        assertEquals(10, keys(o.screened()).size());
        List<Result> sameCandidates = bruteForce.stream().filter(r -> keys(o.screened()).contains(r.candidate().key())).toList();
        assertEquals(paretoKeys(sameCandidates), keys(o.screeningFront()));
    }

    @Test
    void infeasibleCandidatesCarryTheirDiagnostics() throws Exception {
        Explorer.Outcome o = explore("grid", dir.resolve("diag"));
        String text = SmallSpace.text("grid");
        int denseLine = lineOf(text, "layer a = dense");
        int budgetLine = lineOf(text, "budget area");
        List<Result> shape = o.screened().stream().filter(r -> r.candidate().networkBinding().get("$in").equals("12")).toList();
        assertEquals(12, shape.size());
        for (Result r : shape) {
            assertFalse(r.feasible());
            assertTrue(r.problems().stream().anyMatch(p -> p.startsWith(denseLine + ":") || p.startsWith(lineOf(text, "a(x)") + ":")),
                    r.problems().toString());
            assertTrue(r.problems().stream().anyMatch(p -> p.endsWith("[shapeMismatch]")), r.problems().toString());
        }
        // 4x4 PEs of 400 um2 and 4 KiB of 5 um2/B: 0.0269 mm2 > 0.02 mm2
        List<Result> big = o.screened().stream().filter(r -> r.candidate().networkBinding().get("$in").equals("16")
                && r.candidate().acceleratorBinding().equals(Map.of("$rows", "4", "$kib", "4"))).toList();
        assertEquals(3, big.size());
        for (Result r : big) {
            assertFalse(r.feasible());
            assertTrue(r.problems().stream().anyMatch(p -> p.startsWith(budgetLine + ":") && p.contains("area 0.0269 mm2 > budget 0.02 mm2")),
                    r.problems().toString());
            assertEquals((16 * 400 + 4 * 1024 * 5) * 1e-6, r.metric("area"), 1e-12);
        }
        String json = Files.readString(dir.resolve("diag").resolve("explore.json"));
        assertTrue(json.contains("shapeMismatch"), "explore.json carries the diagnostics");
        assertTrue(Files.readString(dir.resolve("diag").resolve("explore.csv")).lines().count() == 25);
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle);
    }
}
