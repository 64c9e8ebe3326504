package org.edgenn.generator.mapping.search;

import java.util.Comparator;
import org.edgenn.runtime.cost.CostResult;

/** A costed mapping and its objective value. */
public record Candidate(CostResult result, double objective) {
    /**
     * Stage 4's reduction order: objective, then energy, then latency, then the mapping's text form, so that
     * equal-cost mappings always resolve the same way whatever order the search visited them in.
     */
    public static final Comparator<Candidate> ORDER = Comparator.comparingDouble(Candidate::objective)
            .thenComparingDouble(c -> c.result().energyPj())
            .thenComparingDouble(c -> c.result().latencyCycles())
            .thenComparing(c -> c.result().mapping().compact());
}
