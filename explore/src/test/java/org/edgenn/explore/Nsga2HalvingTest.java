package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.ir.spec.ExploreSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NSGA-II with successive halving ({@code strategy nsga2} + {@code training halving}) on a fake trainer whose loss
 * curves cross between rungs, against a reference written here from the definitions: NSGA-II (the same Jenetics
 * search) fed by an evaluation that screens each generation's candidates directly with the evaluator and applies the
 * halving rule by brute force (a network goes on when fewer than floor(n/eta) of its rung's networks beat it on
 * (loss, key)) to the generation's new networks. The exploration must propose the same generations, put the same
 * networks in each bracket, give every candidate the loss of the rung its network reached, and report the Pareto
 * front of what it evaluated; it repeats itself for a seed, and a run killed midway resumes to the same end without
 * training any rung twice.
 */
class Nsga2HalvingTest {
    private static final String SPACE = """
        network Mlp($hidden: {8, 16, 24, 32, 40, 48}, $out: {8, 16}) {
          input x: f32[16]
          layer a = dense(16 -> $hidden)
          layer b = dense($hidden -> $out)
          let h = relu(a(x))
          let y = b(h)
          output y
        }

        accelerator Acc($rows: {2, 4}, $kib: {1, 4}) {
          mac int8 accumulator int32
          clock 100 MHz
          axis rows $rows unrolls K
          axis cols 4 unrolls C
          memory gbuf size $kib KiB bandwidth 16 B/cycle holds W, I, O read 1 pJ/B
          memory dram bandwidth 4 B/cycle holds W, I, O read 50 pJ/B
        }

        explore X {
          networks Mlp
          accelerators Acc
          minimize energy, loss
          strategy nsga2(population=8, generations=5, seed=SEED)
          training TRAINING
        }
        """;
    private static final String HALVING = "halving(min_steps=10, max_steps=90, eta=3)";
    private static final String HYPERBAND = "hyperband(min_steps=10, max_steps=90, eta=3, seed=4)";
    private static final List<Integer> RUNGS = List.of(10, 30, 90);
    private static final List<String> OBJECTIVES = List.of("energy", "loss");

    @TempDir
    Path dir;

    /** loss(unit, steps) = a + b / steps, a and b coarse (ties happen) and fixed by the unit's key. */
    static double loss(String unit, int steps) {
        Random r = new Random(unit.hashCode());
        double a = r.nextInt(12) / 4.0;
        double b = r.nextInt(300);
        return a + b / steps;
    }

    /** The fake trainer: the curve's value, a state file written, and the state continued from checked on disk. */
    static final class Trainer implements Rungs.CandidateRungTrainer {
        final List<String> calls = new ArrayList<>();
        int killAfter = Integer.MAX_VALUE;

        @Override
        public Map<String, Double> train(Candidate c, int steps, Path from, Path to) {
            if (killAfter-- <= 0) {
                throw new IllegalStateException("killed");   // the process dies here: nothing after is written
            }
            String unit = c.networkKey();
            try {
                int fromSteps = 0;
                if (from != null) {
                    String state = Files.readString(from);
                    assertTrue(state.startsWith(unit + "@"), state);
                    fromSteps = Integer.parseInt(state.substring(state.indexOf('@') + 1));
                }
                calls.add(unit + " " + fromSteps + "->" + steps);
                Files.writeString(to, unit + "@" + steps);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("loss", loss(unit, steps), "nmse_db", loss(unit, steps));
        }
    }

    private static String space(long seed, String training) {
        return SPACE.replace("SEED", "" + seed).replace("TRAINING", training);
    }

    private Explorer.Outcome explore(Path out, long seed, Trainer trainer, boolean resume) throws IOException {
        return explore(out, seed, HALVING, trainer, resume);
    }

    private Explorer.Outcome explore(Path out, long seed, String training, Trainer trainer, boolean resume) throws IOException {
        Path file = dir.resolve("x.edgenn");
        String text = space(seed, training);
        Files.writeString(file, text);
        try (Engine engine = new InProcessEngine(2)) {
            return Explorer.run(new Explorer.Options(file, text, null, out, resume, engine,
                    new PrintWriter(new StringWriter())), trainer);
        }
    }

    /** The halving rule by brute force: the rung each network of one bracket entering at rung {@code first} reaches. */
    static Map<String, Integer> halvingRule(List<String> bracket, int first) {
        Map<String, Integer> reached = new LinkedHashMap<>();
        HalvingRule.reached(bracket, RUNGS.subList(first, RUNGS.size()), Nsga2HalvingTest::loss)
                .forEach((u, i) -> reached.put(u, i + first));
        return reached;
    }

    /** Where bracket {@code b} enters: halving at the first rung; Hyperband's brackets cycle through the k+1 rungs. */
    static int firstRung(String training, int b) {
        return training.startsWith("hyperband") ? b % RUNGS.size() : 0;
    }

    /** The reference run: NSGA-II fed by direct screening and the brute-force rule per generation. */
    private record Reference(List<List<String>> brackets, Map<String, Integer> rungOf, Set<String> candidates) {
    }

    private Reference reference(long seed, String training) {
        Path file = dir.resolve("reference.edgenn");
        String text = space(seed, training);
        Template t = Template.parse(file, text);
        ExploreSpec spec = ExploreLowering.lower(t.explore("X")).explore();
        Space space = new Space(t, spec);
        Evaluator evaluator = new Evaluator(file, text, "X", spec.budgets());
        Map<String, Result> cost = new LinkedHashMap<>();
        Map<String, Integer> rungOf = new LinkedHashMap<>();
        List<List<String>> brackets = new ArrayList<>();
        Nsga2Search.run(space, OBJECTIVES, 8, 5, seed, batch -> {
            List<Result> screened = new ArrayList<>();
            for (Candidate c : batch) {
                screened.add(cost.computeIfAbsent(c.key(), k -> evaluator.evaluate(c, Evaluator.Stage.QUICK)));
            }
            List<String> fresh = new ArrayList<>();
            for (Result r : screened) {
                String unit = r.candidate().networkKey();
                if (r.feasible() && !rungOf.containsKey(unit) && !fresh.contains(unit)) {
                    fresh.add(unit);
                }
            }
            if (!fresh.isEmpty()) {
                rungOf.putAll(halvingRule(fresh, firstRung(training, brackets.size())));
                brackets.add(fresh);
            }
            List<Result> out = new ArrayList<>();
            for (Result r : screened) {
                Map<String, Double> m = new LinkedHashMap<>(r.metrics());
                if (r.feasible()) {
                    m.put("loss", loss(r.candidate().networkKey(), RUNGS.get(rungOf.get(r.candidate().networkKey()))));
                }
                out.add(new Result(r.candidate(), r.stage(), r.feasible(), m, r.problems(), r.text()));
            }
            return out;
        });
        return new Reference(brackets, rungOf, cost.keySet());
    }

    private static Set<String> paretoKeys(List<Result> results) {
        Set<String> keys = new TreeSet<>();
        for (Result r : results) {
            if (!r.feasible()) {
                continue;
            }
            boolean dominated = results.stream().filter(Result::feasible).anyMatch(o ->
                    OBJECTIVES.stream().allMatch(m -> o.metric(m) <= r.metric(m))
                            && OBJECTIVES.stream().anyMatch(m -> o.metric(m) < r.metric(m)));
            if (!dominated) {
                keys.add(r.candidate().key());
            }
        }
        return keys;
    }

    /** Key, feasibility, problems and finite metrics (the store does not keep a NaN area: no area model). */
    private static List<String> comparable(List<Result> results) {
        List<String> out = new ArrayList<>();
        for (Result r : results) {
            Map<String, Double> finite = new java.util.TreeMap<>();
            r.metrics().forEach((k, v) -> {
                if (!v.isNaN()) {
                    finite.put(k, v);
                }
            });
            out.add(r.candidate().key() + " " + r.feasible() + " " + r.problems() + " " + finite);
        }
        return out;
    }

    private static Set<String> keys(List<Result> results) {
        return results.stream().map(r -> r.candidate().key()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void eachGenerationsNewNetworksGoThroughTheHalvingRule() throws Exception {
        for (long seed : new long[] {3, 8}) {
            checkAgainstTheReference(seed, HALVING);
        }
    }

    @Test
    void withHyperbandTheGenerationsBracketsCycleThroughTheStartingRungs() throws Exception {
        checkAgainstTheReference(3, HYPERBAND);
    }

    private void checkAgainstTheReference(long seed, String training) throws Exception {
        Trainer trainer = new Trainer();
        Explorer.Outcome o = explore(dir.resolve("run" + seed), seed, training, trainer, false);
        Reference ref = reference(seed, training);

        assertEquals(ref.candidates(), new LinkedHashSet<>(o.screened().stream().map(r -> r.candidate().key()).toList()),
                "seed " + seed + ": the same candidates proposed");
        assertEquals(ref.brackets(), o.brackets(), "seed " + seed + ": the same networks in each generation's bracket");
        assertTrue(o.brackets().size() >= (training.equals(HALVING) ? 2 : 3),
                "several generations brought new networks: " + o.brackets());
        assertTrue(ref.rungOf().containsValue(2) && ref.rungOf().containsValue(0), "some networks stop early, some go on");
        for (Result r : o.screened()) {
            assertTrue(r.feasible(), r.candidate().key() + ": " + r.problems());
            String unit = r.candidate().networkKey();
            int rung = ref.rungOf().get(unit);
            assertEquals(rung, (int) r.metric("rung"), r.candidate().key());
            assertEquals(RUNGS.get(rung), (int) r.metric("train_steps"), r.candidate().key());
            assertEquals(loss(unit, RUNGS.get(rung)), r.metric("loss"), 0.0, r.candidate().key());
        }
        // every network trained once per rung it reached, each rung continuing from the one before
        List<String> expected = new ArrayList<>();
        for (int b = 0; b < ref.brackets().size(); b++) {
            int first = firstRung(training, b);
            for (int i = first; i < RUNGS.size(); i++) {
                for (String u : ref.brackets().get(b)) {
                    if (ref.rungOf().get(u) >= i) {
                        expected.add(u + " " + (i == first ? 0 : RUNGS.get(i - 1)) + "->" + RUNGS.get(i));
                    }
                }
            }
        }
        assertEquals(expected, trainer.calls, "seed " + seed);
        assertEquals(paretoKeys(o.screened()), keys(o.screeningFront()), "seed " + seed);
        try (var files = Files.list(dir.resolve("run" + seed).resolve("training"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".ckpt")), "checkpoints go at the end");
        }
    }

    @Test
    void aRunKilledMidwayResumesToTheUninterruptedEndAndASeedRepeatsItself() throws Exception {
        Trainer reference = new Trainer();
        Explorer.Outcome uninterrupted = explore(dir.resolve("a"), 5, reference, false);
        Trainer again = new Trainer();
        Explorer.Outcome repeated = explore(dir.resolve("b"), 5, again, false);
        assertEquals(reference.calls, again.calls, "the same trainings for the same seed");
        assertEquals(comparable(uninterrupted.screened()), comparable(repeated.screened()));

        Trainer dying = new Trainer();
        dying.killAfter = reference.calls.size() / 2;
        Path out = dir.resolve("killed");
        Throwable killed = assertThrows(RuntimeException.class, () -> explore(out, 5, dying, false));
        while (killed.getCause() != null && !"killed".equals(killed.getMessage())) {
            killed = killed.getCause();
        }
        assertEquals("killed", killed.getMessage());
        assertEquals(reference.calls.size() / 2, dying.calls.size());
        dying.killAfter = Integer.MAX_VALUE;
        Explorer.Outcome resumed = explore(out, 5, dying, true);
        assertEquals(reference.calls, dying.calls, "every rung trained once, in the uninterrupted order");
        assertEquals(comparable(uninterrupted.screened()), comparable(resumed.screened()));
        assertEquals(keys(uninterrupted.front()), keys(resumed.front()));
        assertEquals(uninterrupted.brackets(), resumed.brackets());
    }
}
