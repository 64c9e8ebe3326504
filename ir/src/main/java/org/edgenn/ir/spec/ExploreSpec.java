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

    /** How candidates are trained: not at all, or a fixed number of optimizer steps each. */
    public record TrainingBudget(Kind kind, int steps) {
        public enum Kind { NONE, STEPS }

        public static final TrainingBudget NONE = new TrainingBudget(Kind.NONE, 0);
    }
}
