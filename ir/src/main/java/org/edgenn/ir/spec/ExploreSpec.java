package org.edgenn.ir.spec;

import java.util.List;
import org.edgenn.ir.SourceRef;

/**
 * An {@code explore} block: the network and accelerator families (or plain designs) to combine, the
 * objectives to minimize, the budgets every candidate must meet, how candidates are chosen and how
 * they are trained.
 */
public record ExploreSpec(String name, List<String> networks, List<String> accelerators, List<Objective> objectives,
                          List<Budget> budgets, Strategy strategy, TrainingBudget training, SourceRef source) {
    public ExploreSpec {
        networks = List.copyOf(networks);
        accelerators = List.copyOf(accelerators);
        objectives = List.copyOf(objectives);
        budgets = List.copyOf(budgets);
    }

    /** What a candidate is scored on; every objective is minimized. */
    public enum Objective {
        ENERGY, LATENCY, EDP, AREA, PARAMS, MACS, LOSS;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Objective parse(String s) {
            for (Objective o : values()) {
                if (o.spelling().equals(s)) {
                    return o;
                }
            }
            return null;
        }
    }

    /**
     * How candidates are chosen: every instance ({@code grid}), {@code samples} distinct ones at random, or NSGA-II
     * over {@code generations} generations of {@code population} candidates. Every strategy is deterministic for its seed.
     */
    public record Strategy(Kind kind, int samples, int population, int generations, long seed) {
        public enum Kind { GRID, RANDOM, NSGA2 }

        public static Strategy grid() {
            return new Strategy(Kind.GRID, 0, 0, 0, 0);
        }
    }

    /**
     * How candidates are trained: not at all, a fixed number of optimizer steps each ({@code steps}), successive halving
     * ({@code halving}: every network trained {@code minSteps}, the best 1/{@code eta} by the task metric trained on to
     * {@code minSteps·eta}, and so on up to {@code steps}), or Hyperband ({@code hyperband}: brackets of successive halving
     * starting at every rung, each on a sample drawn with {@code seed}).
     *
     * @param steps the budget of {@code steps(n=)}; the largest rung ({@code max_steps}) of halving and Hyperband
     */
    public record TrainingBudget(Kind kind, int steps, int minSteps, int eta, long seed) {
        public enum Kind { NONE, STEPS, HALVING, HYPERBAND }

        public static final TrainingBudget NONE = new TrainingBudget(Kind.NONE, 0);

        public TrainingBudget(Kind kind, int steps) {
            this(kind, steps, steps, 0, 0);
        }

        /** True when candidates are trained in rungs of growing budgets (halving or Hyperband). */
        public boolean rungs() {
            return kind == Kind.HALVING || kind == Kind.HYPERBAND;
        }

        /**
         * The budgets of the rungs, smallest first, as Hyperband spaces them: {@code steps/eta^i} for i = k..0, k the
         * largest with {@code minSteps·eta^k <= steps} ({@code min_steps=10, max_steps=100, eta=3}: 11, 33, 100).
         */
        public java.util.List<Integer> rungBudgets() {
            if (eta < 2) {
                return java.util.List.of(steps);
            }
            int k = 0;
            while ((long) minSteps * pow(eta, k + 1) <= steps) {
                k++;
            }
            java.util.List<Integer> out = new java.util.ArrayList<>();
            for (int i = k; i >= 0; i--) {
                out.add((int) (steps / pow(eta, i)));
            }
            return java.util.List.copyOf(out);
        }

        private static long pow(int base, int exp) {
            long p = 1;
            for (int i = 0; i < exp; i++) {
                p *= base;
            }
            return p;
        }
    }
}
