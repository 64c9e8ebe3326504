package org.edgenn.explore;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;

/**
 * Successive halving or Hyperband inside NSGA-II ({@code strategy nsga2(...)} with {@code training halving(...)} or
 * {@code hyperband(...)}): every generation's new networks go through the rungs together, as one bracket, before
 * NSGA-II ranks the generation. With halving every bracket enters at the smallest budget; with Hyperband the brackets
 * cycle through Hyperband's k+1 starting rungs (the b-th bracket enters at rung b mod (k+1): budgets min, then larger
 * ones, up to max_steps alone, then min again), so that networks whose ranking at a small budget would mislead still
 * get trained further in some brackets. Hyperband's draws are not needed: NSGA-II chooses the networks.
 *
 * <p>This is the scheme of DEHB (Awad, Mallik and Hutter, "DEHB: Evolutionary Hyperband for Scalable, Robust and
 * Efficient Hyperparameter Optimization", IJCAI 2021), where the evolutionary search proposes configurations and
 * successive halving (Jamieson and Talwalkar, AISTATS 2016) decides how long each is trained, here with NSGA-II as the
 * proposer and one bracket per generation. The unit is the network instance, as for grid and random: the accelerator
 * does not change training, so candidates that share a network share its rungs, and a network trained in an earlier
 * generation keeps the rung it reached (it is never trained twice to a budget, nor retried). Rungs rank by the task
 * metric alone: the cost objectives are exact after screening, the loss is the one objective a budget estimates, and
 * a network stopped early competes with its loss at that rung (a pessimistic figure). NSGA-II's fitness of a candidate
 * is its cost metrics with that loss; a network whose training fails makes its candidates infeasible, with why.
 *
 * <p>Deterministic for a seed (NSGA-II's draws, the generation's order of networks, the halving rule with its key
 * tie-break), and resumable: rungs are stored by {@link Rungs} the moment they end, screened candidates by the store,
 * so a killed run replays the same generations from the stored results and trains only what is missing.
 */
final class GenerationRungs {
    private final TrainingBudget budget;
    private final Rungs rungs;
    private final Map<String, Candidate> representative = new LinkedHashMap<>();
    private final Map<String, Halving.UnitResult> units = new LinkedHashMap<>();
    private final List<List<String>> brackets = new ArrayList<>();

    GenerationRungs(Path out, Rungs.CandidateRungTrainer trainer, TrainingBudget budget, PrintWriter progress) {
        if (!budget.rungs()) {
            throw new IllegalArgumentException("per-generation rungs are successive halving or hyperband: " + budget);
        }
        this.budget = budget;
        this.rungs = new Rungs(out, (unit, steps, from, to) -> trainer.train(representative.get(unit), steps, from, to),
                progress);
    }

    /**
     * The generation's screened results with training merged in: the networks of its feasible candidates not trained
     * before go through the rungs together (in the generation's order), then every result gets its network's rung.
     */
    List<Result> train(List<Result> generation) {
        List<String> fresh = new ArrayList<>();
        for (Result r : generation) {
            if (r.feasible()) {
                String unit = r.candidate().networkKey();
                representative.putIfAbsent(unit, r.candidate());
                if (!units.containsKey(unit) && !fresh.contains(unit)) {
                    fresh.add(unit);
                }
            }
        }
        if (!fresh.isEmpty()) {
            int first = firstRung(brackets.size());
            brackets.add(List.copyOf(fresh));
            for (Halving.UnitResult u : Halving.bracket(fresh, budget, first, rungs)) {
                units.put(u.unit(), u);
            }
        }
        return Rungs.with(generation, units, budget);
    }

    /** The rung bracket {@code b} (0-based, in generation order) enters at. */
    int firstRung(int b) {
        return budget.kind() == TrainingBudget.Kind.HYPERBAND ? b % budget.rungBudgets().size() : 0;
    }

    /** What every network reached, by {@link Candidate#networkKey()}. */
    Map<String, Halving.UnitResult> units() {
        return units;
    }

    /** The networks of each bracket, one per generation that brought new ones, in training order. */
    List<List<String>> brackets() {
        return brackets;
    }

    /** Says what was trained and deletes the checkpoints (every bracket is done). */
    void finish() {
        rungs.finish(budget, units.size());
    }
}
