package org.edgenn.explore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;

/**
 * Successive halving and Hyperband over the trained units of an exploration (a unit is a network instance: the
 * accelerator does not change training, so every candidate with that network shares its training).
 *
 * <p>Successive halving (Jamieson and Talwalkar, AISTATS 2016): every unit is trained to the first rung's budget, the
 * best {@code floor(n/eta)} by the task metric (ties broken by the unit's key, at least one) are trained on to the
 * next rung, and so on to the last. Hyperband (Li et al., JMLR 2018) runs one bracket of successive halving per
 * starting rung s = k..0 (k+1 rungs), bracket s on {@code ceil((k+1)/(s+1)·eta^s)} units drawn with the seed, from
 * rung k−s. A unit trained further continues from its saved state at the largest budget it already reached.
 */
final class Halving {

    /** Trains one unit to {@code steps}, continuing from its state at {@code fromSteps} (0: from scratch). */
    interface UnitTrainer {
        /** The metrics of the trained unit, {@code loss} among them (lower is better); thrown when training fails. */
        Map<String, Double> train(String unit, int fromSteps, int steps);
    }

    /**
     * What a unit reached: the index of the highest rung it was trained to (-1: never trained, not sampled by any
     * Hyperband bracket), its budget, the metrics there, and why training failed (null when it did not).
     */
    record UnitResult(String unit, int rung, int steps, Map<String, Double> metrics, String failure) {
        double loss() {
            Double v = metrics.get("loss");
            return v == null ? Double.NaN : v;
        }
    }

    private final TrainingBudget budget;
    private final List<Integer> rungs;
    private final UnitTrainer trainer;
    /** Every training done in this run: unit → budget → metrics (a unit is never trained twice to the same budget). */
    private final Map<String, Map<Integer, Map<String, Double>>> trained = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    private Halving(TrainingBudget budget, UnitTrainer trainer) {
        this.budget = budget;
        this.rungs = budget.rungBudgets();
        this.trainer = trainer;
    }

    /** Runs halving or Hyperband (by {@code budget}) on {@code units}, in this order; one result per unit, same order. */
    static List<UnitResult> run(List<String> units, TrainingBudget budget, UnitTrainer trainer) {
        if (!budget.rungs()) {
            throw new IllegalArgumentException("not a rung budget: " + budget);
        }
        Halving h = new Halving(budget, trainer);
        if (budget.kind() == TrainingBudget.Kind.HALVING) {
            h.bracket(units, 0);
        } else {
            int k = h.rungs.size() - 1;
            Random random = new Random(budget.seed());
            for (int s = k; s >= 0; s--) {
                int n = (int) Math.ceil((k + 1.0) / (s + 1) * Math.pow(budget.eta(), s));
                List<String> sample = new ArrayList<>(units);
                Collections.shuffle(sample, random);
                List<String> chosen = new ArrayList<>(sample.subList(0, Math.min(n, sample.size())));
                chosen.sort(Comparator.comparingInt(units::indexOf));   // training order: the candidates' order
                h.bracket(chosen, k - s);
            }
        }
        List<UnitResult> out = new ArrayList<>();
        for (String u : units) {
            out.add(h.result(u));
        }
        return out;
    }

    /**
     * One bracket of successive halving on {@code units}, entering at rung {@code first} (0: the smallest budget); one
     * result per unit, same order. A unit that was trained before in this run's store continues from its state.
     */
    static List<UnitResult> bracket(List<String> units, TrainingBudget budget, int first, UnitTrainer trainer) {
        if (!budget.rungs() || first < 0 || first >= budget.rungBudgets().size()) {
            throw new IllegalArgumentException("no rung " + first + " in " + budget);
        }
        Halving h = new Halving(budget, trainer);
        h.bracket(units, first);
        return units.stream().map(h::result).toList();
    }

    /** One bracket of successive halving on {@code units} from rung {@code first}. */
    private void bracket(List<String> units, int first) {
        List<String> alive = new ArrayList<>(units);
        for (int i = first; i < rungs.size() && !alive.isEmpty(); i++) {
            int steps = rungs.get(i);
            List<String> ranked = new ArrayList<>();
            for (String u : alive) {
                if (train(u, steps) != null) {
                    ranked.add(u);
                }
            }
            ranked.sort(Comparator.comparingDouble((String u) -> trained.get(u).get(steps).get("loss"))
                    .thenComparing(Comparator.naturalOrder()));
            int keep = Math.max(1, ranked.size() / budget.eta());
            alive = new ArrayList<>(ranked.subList(0, Math.min(keep, ranked.size())));
            alive.sort(Comparator.comparingInt(units::indexOf));
        }
    }

    /** The unit's metrics at {@code steps}, training it there if it is not yet; null when its training failed. */
    private Map<String, Double> train(String unit, int steps) {
        if (failures.containsKey(unit)) {
            return null;
        }
        Map<Integer, Map<String, Double>> done = trained.computeIfAbsent(unit, u -> new LinkedHashMap<>());
        Map<String, Double> m = done.get(steps);
        if (m != null) {
            return m;
        }
        int from = done.keySet().stream().filter(s -> s < steps).max(Integer::compare).orElse(0);
        try {
            m = trainer.train(unit, from, steps);
        } catch (CandidateTrainer.TrainingException e) {
            failures.put(unit, e.getMessage());
            return null;
        }
        Double loss = m.get("loss");
        if (loss == null || !Double.isFinite(loss)) {
            failures.put(unit, "training " + unit + " to " + steps + " steps gave no finite loss");
            return null;
        }
        done.put(steps, Map.copyOf(m));
        return m;
    }

    private UnitResult result(String unit) {
        Map<Integer, Map<String, Double>> done = trained.getOrDefault(unit, Map.of());
        if (failures.containsKey(unit)) {
            return new UnitResult(unit, -1, 0, Map.of(), failures.get(unit));
        }
        if (done.isEmpty()) {
            return new UnitResult(unit, -1, 0, Map.of(), null);
        }
        int steps = done.keySet().stream().max(Integer::compare).orElseThrow();
        return new UnitResult(unit, rungs.indexOf(steps), steps, done.get(steps), null);
    }
}
