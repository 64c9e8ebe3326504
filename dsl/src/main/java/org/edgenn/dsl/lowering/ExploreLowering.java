package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.AcceleratorsItem;
import org.edgenn.dsl.edgeNN.AttrArg;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.Explore;
import org.edgenn.dsl.edgeNN.ExploreBudget;
import org.edgenn.dsl.edgeNN.ExploreItem;
import org.edgenn.dsl.edgeNN.ExploreTraining;
import org.edgenn.dsl.edgeNN.Limit;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.NetworksItem;
import org.edgenn.dsl.edgeNN.ObjectivesItem;
import org.edgenn.dsl.edgeNN.StrategyItem;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.Budget;
import org.edgenn.ir.spec.ExploreSpec;
import org.edgenn.ir.spec.ExploreSpec.Objective;
import org.edgenn.ir.spec.ExploreSpec.Strategy;
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;

/**
 * Lowers an {@code explore} block: which families, what to minimize, the budgets, the strategy and the
 * training of candidates. Everything missing or unknown is a problem on its text, never a default.
 */
public final class ExploreLowering {

    public record Result(ExploreSpec explore, Problems problems) {
    }

    private ExploreLowering() {
    }

    public static Result lower(Explore e) {
        Problems problems = new Problems();
        List<String> networks = new ArrayList<>();
        List<String> accelerators = new ArrayList<>();
        List<Objective> objectives = new ArrayList<>();
        List<Budget> budgets = new ArrayList<>();
        Strategy strategy = null;
        TrainingBudget training = null;
        ObjectivesItem lossAt = null;
        int lossIndex = -1;
        Set<Class<?>> seen = new HashSet<>();
        for (ExploreItem item : e.getItems()) {
            Class<?> kind = item.eClass().getInstanceClass();
            if (!seen.add(kind)) {
                problems.error(item, null, IssueCodes.BAD_EXPLORE, "the explore block says this twice; list every value in one line");
                continue;
            }
            if (item instanceof NetworksItem n) {
                for (Network net : n.getNetworks()) {
                    if (net != null && !net.eIsProxy()) {
                        networks.add(net.getName());
                    }
                }
            } else if (item instanceof AcceleratorsItem a) {
                for (Accelerator acc : a.getAccelerators()) {
                    if (acc != null && !acc.eIsProxy()) {
                        accelerators.add(acc.getName());
                    }
                }
            } else if (item instanceof ObjectivesItem o) {
                for (int i = 0; i < o.getObjectives().size(); i++) {
                    if (o.getObjectives().get(i) == null) {
                        continue; // a syntax error, reported by the parser
                    }
                    Objective obj = Objective.parse(o.getObjectives().get(i));
                    if (obj == null) {
                        problems.error(o, OBJECTIVES_ITEM__OBJECTIVES, i, IssueCodes.UNKNOWN_OBJECTIVE, "unknown objective '"
                                + o.getObjectives().get(i) + "'; expected energy, latency, edp, area, params, macs or loss");
                    } else if (objectives.contains(obj)) {
                        problems.error(o, OBJECTIVES_ITEM__OBJECTIVES, i, IssueCodes.UNKNOWN_OBJECTIVE, "objective '"
                                + obj.spelling() + "' is listed twice");
                    } else {
                        objectives.add(obj);
                        if (obj == Objective.LOSS) {
                            lossAt = o;
                            lossIndex = i;
                        }
                    }
                }
            } else if (item instanceof ExploreBudget b) {
                for (Limit l : b.getLimits()) {
                    Budget budget = CompressionLowering.exploreBudget(l, problems);
                    if (budget != null) {
                        budgets.add(budget);
                    }
                }
            } else if (item instanceof StrategyItem s) {
                strategy = strategy(s, problems);
            } else if (item instanceof ExploreTraining t) {
                training = training(t, problems);
            }
        }
        requireItem(e, seen, NetworksItem.class, "networks: networks Lista", problems);
        requireItem(e, seen, AcceleratorsItem.class, "accelerators: accelerators Tiny16", problems);
        requireItem(e, seen, ObjectivesItem.class, "objectives: minimize energy, latency", problems);
        requireItem(e, seen, StrategyItem.class, "a strategy: strategy grid, random(n=100, seed=1) or "
                + "nsga2(population=24, generations=10, seed=1)", problems);
        if (training == null && !seen.contains(ExploreTraining.class)) {
            training = TrainingBudget.NONE; // candidates are scored on cost alone unless a training is asked for
        }
        if (lossAt != null && training != null && training.kind() == TrainingBudget.Kind.NONE) {
            problems.error(lossAt, OBJECTIVES_ITEM__OBJECTIVES, lossIndex, IssueCodes.UNKNOWN_OBJECTIVE, "the task metric "
                    + "(loss) needs trained candidates: add training steps(n=N), halving(...) or hyperband(...) to the explore block (loss is the held-out "
                    + "metric of the network's train block, NMSE in dB for LISTA)");
        }
        if (training != null && training.kind() == TrainingBudget.Kind.HYPERBAND && strategy != null
                && strategy.kind() == Strategy.Kind.NSGA2) {
            ExploreTraining at = (ExploreTraining) e.getItems().stream().filter(ExploreTraining.class::isInstance)
                    .findFirst().orElseThrow();
            problems.warning(at.getTraining(), WORD_VALUE__WORD, IssueCodes.BAD_EXPLORE_TRAINING, "with nsga2, hyperband "
                    + "draws nothing (each generation's new networks are one bracket, the brackets cycle through the "
                    + "starting rungs): its seed is not used");
        }
        if (problems.hasErrors()) {
            return new Result(null, problems);
        }
        return new Result(new ExploreSpec(e.getName(), networks, accelerators, objectives, budgets, strategy, training,
                Sources.of(e)), problems);
    }

    private static void requireItem(Explore e, Set<Class<?>> seen, Class<?> kind, String what, Problems problems) {
        if (!seen.contains(kind)) {
            problems.error(e, EXPLORE__NAME, IssueCodes.BAD_EXPLORE, "explore " + e.getName() + " needs " + what);
        }
    }

    private static Strategy strategy(StrategyItem s, Problems problems) {
        WordValue w = s.getStrategy();
        if (w == null || w.getWord() == null) {
            return null;
        }
        switch (w.getWord()) {
            case "grid": {
                Attrs attrs = attrs("grid", w, Set.of(), problems);
                return attrs == null ? null : Strategy.grid();
            }
            case "random": {
                Attrs attrs = attrs("random", w, Set.of("n", "seed"), problems);
                Integer n = attrs == null ? null : attrs.positive("n", null);
                Integer seed = attrs == null ? null : attrs.natural("seed", null);
                return n == null || seed == null ? null : new Strategy(Strategy.Kind.RANDOM, n, 0, 0, seed);
            }
            case "nsga2": {
                Attrs attrs = attrs("nsga2", w, Set.of("population", "generations", "seed"), problems);
                Integer pop = attrs == null ? null : attrs.positive("population", null);
                Integer gens = attrs == null ? null : attrs.positive("generations", null);
                Integer seed = attrs == null ? null : attrs.natural("seed", null);
                if (pop != null && pop < 4) {
                    attrs.bad(attrs.get("population"), "must be at least 4 (NSGA-II needs parents to pair)");
                    return null;
                }
                return pop == null || gens == null || seed == null ? null
                        : new Strategy(Strategy.Kind.NSGA2, 0, pop, gens, seed);
            }
            default:
                problems.error(w, WORD_VALUE__WORD, IssueCodes.BAD_STRATEGY, "unknown strategy '" + w.getWord()
                        + "'; expected grid, random(n=, seed=) or nsga2(population=, generations=, seed=)");
                return null;
        }
    }

    private static TrainingBudget training(ExploreTraining t, Problems problems) {
        WordValue w = t.getTraining();
        if (w == null || w.getWord() == null) {
            return null;
        }
        switch (w.getWord()) {
            case "none": {
                Attrs attrs = attrs("none", w, Set.of(), problems);
                return attrs == null ? null : TrainingBudget.NONE;
            }
            case "steps": {
                Attrs attrs = attrs("steps", w, Set.of("n"), problems);
                Integer n = attrs == null ? null : attrs.positive("n", null);
                return n == null ? null : new TrainingBudget(TrainingBudget.Kind.STEPS, n);
            }
            case "halving":
            case "hyperband": {
                boolean hyperband = w.getWord().equals("hyperband");
                Attrs attrs = attrs(w.getWord(), w, hyperband ? Set.of("min_steps", "max_steps", "eta", "seed")
                        : Set.of("min_steps", "max_steps", "eta"), problems);
                Integer min = attrs == null ? null : attrs.positive("min_steps", null);
                Integer max = attrs == null ? null : attrs.positive("max_steps", null);
                Integer eta = attrs == null ? null : attrs.positive("eta", null);
                Integer seed = attrs == null || !hyperband ? Integer.valueOf(0) : attrs.natural("seed", null);
                if (min == null || max == null || eta == null || seed == null) {
                    return null;
                }
                if (eta < 2) {
                    attrs.bad(attrs.get("eta"), "must be at least 2 (the best 1/eta of each rung goes on)");
                    return null;
                }
                if (max < min) {
                    attrs.bad(attrs.get("max_steps"), "must be at least min_steps (" + min + ")");
                    return null;
                }
                return new TrainingBudget(hyperband ? TrainingBudget.Kind.HYPERBAND : TrainingBudget.Kind.HALVING, max, min,
                        eta, seed);
            }
            default:
                problems.error(w, WORD_VALUE__WORD, IssueCodes.BAD_EXPLORE_TRAINING, "unknown training '" + w.getWord()
                        + "'; expected none, steps(n=N), halving(min_steps=, max_steps=, eta=) or "
                        + "hyperband(min_steps=, max_steps=, eta=, seed=)");
                return null;
        }
    }

    /** Named arguments only: a positional one is an error (which of n and seed would it be?). */
    private static Attrs attrs(String owner, WordValue w, Set<String> allowed, Problems problems) {
        List<Attribute> named = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < w.getArgs().size(); i++) {
            AttrArg a = w.getArgs().get(i);
            if (a instanceof Attribute attr) {
                named.add(attr);
            } else {
                problems.error(w, WORD_VALUE__ARGS, i, IssueCodes.BAD_ARGUMENTS, owner + " takes named arguments"
                        + (allowed.isEmpty() ? " (none)" : ": " + String.join("=, ", new java.util.TreeSet<>(allowed)) + "="));
                ok = false;
            }
        }
        Attrs attrs = new Attrs(owner, w, WORD_VALUE__WORD, named, allowed, problems);
        return ok ? attrs : null;
    }
}
