package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successive halving and Hyperband on a cheap fake trainer whose loss curves cross (a unit's rank changes between
 * rungs): which units advance is checked against the halving rule evaluated by brute force (a unit goes on when
 * fewer than floor(n/eta) of its rung's units beat it on (loss, key)); continuation, determinism for a seed, and a
 * run killed midway and resumed from the stored rungs.
 */
class HalvingTest {
    @TempDir
    Path dir;

    /** loss(u, steps) = a_u + b_u / steps: units with a low floor but a slow start overtake others at larger budgets. */
    static final class Curves implements Halving.UnitTrainer {
        final Map<String, double[]> ab = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final Set<String> failAt = new HashSet<>();

        Curves(List<String> units, long seed) {
            Random r = new Random(seed);
            for (String u : units) {
                ab.put(u, new double[] {r.nextInt(20) / 4.0, r.nextInt(400)});   // coarse values: ties happen
            }
        }

        double loss(String u, int steps) {
            return ab.get(u)[0] + ab.get(u)[1] / steps;
        }

        @Override
        public Map<String, Double> train(String unit, int fromSteps, int steps) {
            calls.add(unit + " " + fromSteps + "->" + steps);
            if (failAt.contains(unit + "@" + steps)) {
                throw new CandidateTrainer.TrainingException("training " + unit + " diverged");
            }
            return Map.of("loss", loss(unit, steps), "nmse_db", loss(unit, steps));
        }
    }

    static List<String> units(int n) {
        List<String> u = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            u.add(String.format("N($i=%02d)", i));
        }
        return u;
    }

    static final TrainingBudget HALVING = new TrainingBudget(TrainingBudget.Kind.HALVING, 90, 10, 3, 0);

    @Test
    void theUnitsThatAdvanceAreThoseOfTheHalvingRule() {
        for (long seed = 1; seed <= 20; seed++) {
            List<String> units = units(20 + (int) seed);
            Curves curves = new Curves(units, seed);
            String failing = units.get((int) (seed % units.size()));
            curves.failAt.add(failing + "@10");
            List<Halving.UnitResult> got = Halving.run(units, HALVING, curves);

            // brute force: at each rung, count for every survivor how many survivors beat it
            Set<String> alive = new LinkedHashSet<>(units);
            alive.remove(failing);
            List<Integer> rungs = List.of(10, 30, 90);
            Map<String, Integer> reached = HalvingRule.reached(alive, rungs, curves::loss);
            for (Halving.UnitResult r : got) {
                if (r.unit().equals(failing)) {
                    assertEquals(-1, r.rung());
                    assertTrue(r.failure().contains("diverged"), r.failure());
                    continue;
                }
                int rung = reached.get(r.unit());
                assertEquals(rung, r.rung(), "seed " + seed + ": " + r.unit());
                assertEquals(rungs.get(rung), r.steps());
                assertEquals(curves.loss(r.unit(), r.steps()), r.loss(), 0.0);
            }
            // every unit trained once per rung it reached, each rung continuing from the one before
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < rungs.size(); i++) {
                for (String u : units) {
                    if (u.equals(failing) ? i == 0 : reached.get(u) >= i) {
                        expected.add(u + " " + (i == 0 ? 0 : rungs.get(i - 1)) + "->" + rungs.get(i));
                    }
                }
            }
            assertEquals(expected, curves.calls, "seed " + seed);
            assertEquals(Math.max(1, (units.size() - 1) / 3 / 3), got.stream().filter(r -> r.rung() == 2).count());
        }
    }

    @Test
    void hyperbandIsDeterministicForItsSeedAndContinuesEveryUnitFromItsLargestBudget() {
        List<String> units = units(30);
        List<List<String>> runs = new ArrayList<>();
        List<List<Halving.UnitResult>> results = new ArrayList<>();
        for (long seed : new long[] {5, 5, 6}) {
            TrainingBudget hb = new TrainingBudget(TrainingBudget.Kind.HYPERBAND, 90, 10, 3, seed);
            Curves curves = new Curves(units, 11);
            results.add(Halving.run(units, hb, curves));
            runs.add(curves.calls);
            // bracket s = 2, 1, 0 starts 9, 5 and 3 units at 10, 30 and 90 steps; a unit is never trained twice to a budget
            assertEquals(new HashSet<>(curves.calls).size(), curves.calls.size());
            Map<String, Set<Integer>> budgetsOf = new HashMap<>();
            for (String call : curves.calls) {
                String unit = call.substring(0, call.indexOf(' '));
                int from = Integer.parseInt(call.substring(call.indexOf(' ') + 1, call.indexOf("->")));
                int to = Integer.parseInt(call.substring(call.indexOf("->") + 2));
                Set<Integer> had = budgetsOf.computeIfAbsent(unit, u -> new HashSet<>());
                assertEquals(had.stream().filter(b -> b < to).max(Integer::compare).orElse(0), from,
                        call + ": continues from the largest budget below");
                had.add(to);
            }
            long at90 = results.get(results.size() - 1).stream().filter(r -> r.steps() == 90).count();
            assertTrue(at90 >= 3 && at90 <= 5, "bracket 0 trains 3 units to 90 steps, brackets 1 and 2 one each: " + at90);
        }
        assertEquals(runs.get(0), runs.get(1), "same seed, same trainings");
        assertEquals(results.get(0), results.get(1));
        assertNotEquals(runs.get(0), runs.get(2), "another seed draws other units");
    }

    @Test
    void aRunKilledMidwayResumesFromItsStoredRungsAndEndsAsTheUninterruptedOne() throws Exception {
        List<String> units = units(12);
        Curves reference = new Curves(units, 3);
        List<Halving.UnitResult> uninterrupted = Halving.run(units, HALVING, reference);

        Curves curves = new Curves(units, 3);
        Path out = dir.resolve("run");
        int[] budget = {reference.calls.size() / 2};
        List<String> states = new ArrayList<>();
        Rungs.CheckpointedTrainer dies = (unit, steps, from, to) -> {
            if (budget[0]-- == 0) {
                throw new IllegalStateException("killed");   // the process dies: nothing after this is written
            }
            states.add(unit + " " + (from == null ? "-" : from.getFileName().toString()));
            int fromSteps;
            try {
                assertTrue(from == null || Files.exists(from), "the state it continues from is on disk");
                fromSteps = from == null ? 0 : Integer.parseInt(Files.readString(from).replaceAll(".*@", ""));
                Files.writeString(to, unit + "@" + steps);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return curves.train(unit, fromSteps, steps);
        };
        assertThrows(IllegalStateException.class, () -> Halving.run(units, HALVING, new Rungs(out, dies, null)));
        int before = curves.calls.size();
        assertEquals(reference.calls.size() / 2, before);

        budget[0] = Integer.MAX_VALUE;
        Rungs resumed = new Rungs(out, dies, null);
        List<Halving.UnitResult> after = Halving.run(units, HALVING, resumed);
        assertEquals(uninterrupted, after);
        assertEquals(reference.calls.size(), curves.calls.size(), "no rung trained twice: " + curves.calls);
        assertEquals(reference.calls, curves.calls);
        resumed.finish(HALVING, units.size());
        try (var files = Files.list(out.resolve("training"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".ckpt")), "checkpoints go when every rung is done");
        }
    }
}
